package org.healthcode.interop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.healthcode.contracts.exchange.ReasonCategories;
import org.healthcode.contracts.exchange.RiskPersonNotice;
import org.healthcode.contracts.status.StatusJson;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.audit.AuditLog;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.exchange.ExchangeInbox;
import org.healthcode.interop.exchange.ExchangePusher;
import org.healthcode.interop.federation.FederatedStatus;
import org.healthcode.interop.http.AccessPolicy;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.RateLimiter;
import org.healthcode.interop.store.StatusView;
import org.healthcode.interop.trust.TrustListClient;

/**
 * The cross-region and audit endpoints of a region's serving process (the {@link Route}s it names); other routes
 * fall through to the next handler.
 * Access control ran before (the {@link Caller} is on the request).
 * <ul>
 *   <li>{@code POST /v1/status:batch} {@code {"ids":[...]}} (at most {@value #MAX_BATCH}) -> {@code {"statuses":[
 *       federated statuses], "unknown":[ids]}};</li>
 *   <li>{@code GET /v1/audit/me/{personId}} (app) -> who looked this person up: {@code {"records":[...]}};</li>
 *   <li>{@code GET /v1/audit?subject=...|caller=...} (operator) -> {@code {"records":[...]}};</li>
 *   <li>{@code POST /v1/exchange/risk-persons} (region) a {@link RiskPersonNotice} -> {@code {"result":
 *       "accepted"|"duplicate"}};</li>
 *   <li>{@code POST /v1/exchange/outbox} (operator) {@code {"personId","toRegion"}} -> the notice queued;</li>
 *   <li>{@code GET /v1/trust-list/national} -> the last good national trust bundle (for this region's checkpoints).</li>
 * </ul>
 */
public final class InteropHandler extends Handler.Abstract {
    static final int MAX_BATCH = 100;
    private static final String AUDIT_ME_PREFIX = "/v1/audit/me/";

    private final StatusLookupService lookups;
    private final StatusView view;
    private final FederatedStatus federated;
    private final AuditSink audit;
    private final Optional<AuditLog> auditLog;
    private final Optional<ExchangeInbox> inbox;
    private final Optional<ExchangePusher> pusher;
    private final Optional<TrustListClient> trust;
    private final String region;
    private final Clock clock;
    /** The per-caller limits: each id of a batch beyond the first (taken by access control) costs one more. */
    private final RateLimiter rates;

    public InteropHandler(
            StatusLookupService lookups,
            StatusView view,
            FederatedStatus federated,
            AuditSink audit,
            Optional<AuditLog> auditLog,
            Optional<ExchangeInbox> inbox,
            Optional<ExchangePusher> pusher,
            Optional<TrustListClient> trust,
            String region,
            Clock clock,
            RateLimiter rates) {
        this.rates = rates;
        this.lookups = lookups;
        this.view = view;
        this.federated = federated;
        this.audit = audit;
        this.auditLog = auditLog;
        this.inbox = inbox;
        this.pusher = pusher;
        this.trust = trust;
        this.region = region;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        if (route == null) {
            return false;
        }
        switch (route) {
            case STATUS_BATCH, AUDIT_OF_PERSON, AUDIT, EXCHANGE_RECEIVE, EXCHANGE_OUTBOX -> {
                if (!route.method().equals(request.getMethod())) {
                    return notAllowed(response, callback, route.method());
                }
            }
            case NATIONAL_TRUST_LIST -> {
                return nationalTrustList(response, callback);
            }
            default -> {
                return false;
            }
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        return switch (route) {
            case STATUS_BATCH -> batch(caller, request, response, callback);
            case AUDIT_OF_PERSON ->
                auditOf(
                        caller,
                        request,
                        Request.getPathInContext(request).substring(AUDIT_ME_PREFIX.length()),
                        response,
                        callback);
            case AUDIT -> auditQuery(caller, request, response, callback);
            case EXCHANGE_RECEIVE -> receive(caller, request, response, callback);
            default -> enqueue(caller, request, response, callback);
        };
    }

    /** Answered whatever the method, as it always was. */
    private boolean nationalTrustList(Response response, Callback callback) {
        Optional<String> json = trust.flatMap(TrustListClient::lastGoodJson);
        if (json.isEmpty()) {
            return JsonResponses.error(
                    response, callback, ErrorReason.NOT_CONFIGURED, "this region holds no valid national trust list");
        }
        return JsonResponses.write(response, callback, 200, JsonResponses.JSON, json.get());
    }

    private boolean batch(Caller caller, Request request, Response response, Callback callback) {
        return RequestBodies.read(request, response, callback, bytes -> batch(caller, json(bytes), response, callback));
    }

    private boolean batch(Caller caller, JsonNode body, Response response, Callback callback) {
        JsonNode ids = body == null ? null : body.get("ids");
        if (ids == null || !ids.isArray() || ids.size() > MAX_BATCH) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_REQUEST,
                    "expected {\"ids\": [...]} with at most " + MAX_BATCH + " ids");
        }
        long wait = caller == null ? 0 : rates.admit(caller, ids.size() - 1);
        if (wait < 0) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.RATE_LIMITED,
                    "a batch of " + ids.size()
                            + " ids counts as " + ids.size()
                            + " lookups, more than this caller's rate limit per second;"
                            + " send smaller batches");
        }
        if (wait > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.RATE_LIMITED,
                    "a batch of " + ids.size() + " ids counts as " + ids.size()
                            + " lookups; rate limit exceeded, retry after " + wait + " s");
        }
        // every id looked up at once, under one audit record naming them all: the batch is answered when it is durable
        List<String> asked = new java.util.ArrayList<>(ids.size());
        for (JsonNode idNode : ids) {
            asked.add(idNode.asText());
        }
        lookups.lookupBatchAsync(caller, asked).whenComplete((answers, failure) -> {
            try {
                if (failure != null) {
                    callback.failed(failure);
                } else {
                    batchAnswer(caller, asked, answers, response, callback);
                }
            } catch (RuntimeException e) {
                callback.failed(e);
            }
        });
        return true;
    }

    private void batchAnswer(
            Caller caller, List<String> asked, List<LookupResult> answers, Response response, Callback callback) {
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        ArrayNode statuses = out.putArray("statuses");
        ArrayNode unknown = out.putArray("unknown");
        for (int i = 0; i < asked.size(); i++) {
            String id = asked.get(i);
            LookupResult r = answers.get(i);
            if (r instanceof LookupResult.Found f) {
                statuses.add(
                        AccessPolicy.seesMinimalStatus(caller.role())
                                ? federated.render(id, f.status())
                                : StatusJson.full(f.status()));
            } else if (r instanceof LookupResult.Failed failed
                    && (failed.reason() == ErrorReason.UNAVAILABLE || failed.reason() == ErrorReason.VIEW_STALE)) {
                // the view is closing or stale, or a lookup could not be audited: the batch is not answered at all
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.RETRY_AFTER, "1");
                JsonResponses.error(response, callback, ErrorReason.UNAVAILABLE, failed.message());
                return;
            } else {
                unknown.add(id);
            }
        }
        JsonResponses.json(response, callback, 200, out);
    }

    /**
     * Who looked this person up, newest first, a page at a time: {@code {"records": [...], "next": cursor}} and
     * {@code ?before=cursor} for the page after; {@code next} is absent on the last page.
     */
    private boolean auditOf(Caller caller, Request request, String personId, Response response, Callback callback) {
        if (!PersonIds.isPseudonym(personId)) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_PERSON_ID,
                    PersonIds.looksLikeRawIdentity(personId) ? PersonIds.RAW_IDENTITY : "not a person id");
        }
        String before = Request.extractQueryParameters(request).getValue("before");
        if (before != null && !before.matches("[A-Za-z0-9_-]{1,64}")) {
            return JsonResponses.error(
                    response, callback, ErrorReason.MALFORMED_REQUEST, "before: the next cursor of an earlier page");
        }
        if (auditLog.isEmpty()) {
            return JsonResponses.error(response, callback, ErrorReason.NOT_CONFIGURED, "no audit log configured");
        }
        // reading who looked a person up is itself a look at that person: audited before it is answered
        audit.record(AuditRecord.of(clock.instant(), caller, AuditRecord.AUDIT_READ, personId, "read", "own"));
        AuditLog.Page page = auditLog.get().aboutSubject(personId, before);
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        ArrayNode arr = out.putArray("records");
        page.records().forEach(r -> arr.add(r.toJson()));
        if (page.next() != null) {
            out.put("next", page.next());
        }
        return JsonResponses.json(response, callback, 200, out);
    }

    private boolean auditQuery(Caller caller, Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        String subject = q.getValue("subject");
        String who = q.getValue("caller");
        if ((subject == null) == (who == null)) {
            return JsonResponses.error(
                    response, callback, ErrorReason.MALFORMED_REQUEST, "give exactly one of ?subject= or ?caller=");
        }
        if (subject != null && !PersonIds.isPseudonym(subject)
                || who != null && !who.matches("[A-Za-z0-9_.:-]{1,64}")) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_REQUEST,
                    "subject: a person id (a pseudonym, never a raw identity); caller: a caller's name");
        }
        audit.record(AuditRecord.of(
                clock.instant(),
                caller,
                AuditRecord.AUDIT_READ,
                subject,
                "read",
                subject != null ? "by subject" : "by caller " + who));
        return records(
                auditLog.map(l -> subject != null ? l.aboutSubject(subject) : l.byCaller(who)), response, callback);
    }

    private boolean records(Optional<List<AuditRecord>> records, Response response, Callback callback) {
        if (records.isEmpty()) {
            return JsonResponses.error(response, callback, ErrorReason.NOT_CONFIGURED, "no audit log configured");
        }
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        ArrayNode arr = out.putArray("records");
        records.get().forEach(r -> arr.add(r.toJson()));
        return JsonResponses.json(response, callback, 200, out);
    }

    private boolean receive(Caller caller, Request request, Response response, Callback callback) {
        if (inbox.isEmpty()) {
            return JsonResponses.error(response, callback, ErrorReason.NOT_CONFIGURED, "exchange inbox not configured");
        }
        return RequestBodies.read(
                request,
                response,
                callback,
                bytes -> receive(caller, new String(bytes, StandardCharsets.UTF_8), response, callback));
    }

    private boolean receive(Caller caller, String body, Response response, Callback callback) throws Exception {
        RiskPersonNotice n;
        try {
            n = RiskPersonNotice.parse(body);
        } catch (IllegalArgumentException e) {
            return exchangeRefused(caller, null, response, callback, ErrorReason.MALFORMED_REQUEST, e.getMessage());
        }
        List<String> problems = n.problems();
        if (!problems.isEmpty()) {
            return exchangeRefused(
                    caller, n, response, callback, ErrorReason.MALFORMED_REQUEST, String.join("; ", problems));
        }
        if (!n.fromRegion().equals(caller.region())) {
            return exchangeRefused(
                    caller,
                    n,
                    response,
                    callback,
                    ErrorReason.WRONG_REGION,
                    "the caller is region " + caller.region() + ", the notice says " + n.fromRegion());
        }
        if (!n.toRegion().equals(region)) {
            return exchangeRefused(
                    caller,
                    n,
                    response,
                    callback,
                    ErrorReason.WRONG_REGION,
                    "this is region " + region + ", the notice is for " + n.toRegion());
        }
        ExchangeInbox.Result result = inbox.get().accept(n);
        String label = result.name().toLowerCase(java.util.Locale.ROOT);
        audit.record(AuditRecord.of(
                clock.instant(), caller, AuditRecord.EXCHANGE_IN, n.nationalId(), label, "key " + n.idempotencyKey()));
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        out.put("result", label);
        out.put("idempotencyKey", n.idempotencyKey());
        return JsonResponses.json(response, callback, 200, out);
    }

    private boolean exchangeRefused(
            Caller caller,
            RiskPersonNotice n,
            Response response,
            Callback callback,
            ErrorReason reason,
            String message) {
        audit.record(AuditRecord.of(
                clock.instant(),
                caller,
                AuditRecord.EXCHANGE_IN,
                n == null ? null : n.nationalId(),
                reason.code(),
                message));
        return JsonResponses.error(response, callback, reason, message);
    }

    private boolean enqueue(Caller caller, Request request, Response response, Callback callback) {
        return RequestBodies.read(
                request, response, callback, bytes -> enqueue(caller, json(bytes), response, callback));
    }

    private boolean enqueue(Caller caller, JsonNode body, Response response, Callback callback) throws Exception {
        String personId = body == null ? null : body.path("personId").asText(null);
        String to = body == null ? null : body.path("toRegion").asText(null);
        if (personId == null || to == null || !PersonIds.isPseudonym(personId)) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_REQUEST,
                    "expected {\"personId\": ..., \"toRegion\": ...}");
        }
        if (pusher.isEmpty() || !pusher.get().knowsPeer(to)) {
            return JsonResponses.error(response, callback, ErrorReason.NOT_CONFIGURED, "no --peer for region " + to);
        }
        Optional<StatusRecord> s = view.get(personId);
        if (s.isEmpty()
                || s.get().getNationalId().isEmpty()
                || "green".equals(s.get().getColour())) {
            // the refusal tells the operator the person is not red or yellow: a look at the person like a lookup,
            // so audited like one (the person sees it), with one answer for unknown, green and unexchangeable
            audit.record(AuditRecord.of(
                    clock.instant(),
                    caller,
                    AuditRecord.EXCHANGE_OUT,
                    personId,
                    ErrorReason.UNKNOWN_PERSON.code(),
                    "to " + to));
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.UNKNOWN_PERSON,
                    "no red or yellow status with a national id for this person");
        }
        RiskPersonNotice n = noticeFor(s.get(), to, clock.instant());
        pusher.get().enqueue(n);
        audit.record(AuditRecord.of(
                clock.instant(),
                caller,
                AuditRecord.EXCHANGE_OUT,
                personId,
                "queued",
                "to " + to + " key " + n.idempotencyKey()));
        return JsonResponses.json(response, callback, 202, n.toJson());
    }

    /** The notice for a status: the most severe condition's category; expiry its phase end, else 14 days on. */
    RiskPersonNotice noticeFor(StatusRecord s, String to, Instant now) {
        ConditionRecord first = s.getConditionsCount() > 0 ? s.getConditions(0) : null;
        String category = first == null ? "other" : ReasonCategories.of(first.getReason());
        Instant expiry = first != null && first.getPhaseEndMs() > 0
                ? Instant.ofEpochMilli(first.getPhaseEndMs())
                : now.plus(Duration.ofDays(14));
        Instant since = Instant.ofEpochMilli(s.getSinceMs());
        if (!expiry.isAfter(since)) {
            expiry = now.plus(Duration.ofDays(14));
        }
        return RiskPersonNotice.of(region, to, s.getNationalId(), s.getColour(), category, since, expiry);
    }

    /** The body as JSON; null when it is not JSON (answered 400 by the caller). */
    private static JsonNode json(byte[] body) {
        try {
            return JsonResponses.MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean notAllowed(Response response, Callback callback, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + allow);
    }
}
