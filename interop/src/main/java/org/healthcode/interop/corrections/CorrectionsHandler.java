package org.healthcode.interop.corrections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.healthcode.contracts.topics.TopicSetup;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.overrides.OverrideEvents;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.interop.audit.AuditLog;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.overrides.OverridesHandler;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;

/**
 * Correction requests over HTTP (the {@link Route}s named {@code CORRECTION_*}); access control ran before, so the
 * caller's role is the route's. The person's app acts on the person in the path, and sees only that person's
 * requests; operators act under their authenticated name.
 * <ul>
 *   <li>{@code POST /v1/corrections/me/{personId}:file} (app) {@code {"reason","evidence"}} -> 201 the request;</li>
 *   <li>{@code GET /v1/corrections/me/{personId}} (app) -> {@code {"requests":[...]}}, newest first;</li>
 *   <li>{@code GET /v1/corrections?state=received} (operator) -> the queue, oldest first;</li>
 *   <li>{@code POST /v1/corrections/{id}/take}, {@code .../propose} {@code {"colour","expiry","note"}},
 *       {@code .../approve}, {@code .../uphold} {@code {"note"}} (operator) -> 200 the request.</li>
 * </ul>
 */
public final class CorrectionsHandler extends Handler.Abstract implements AutoCloseable {
    /** The compacted topic the requests live on (with the region's topic prefix). */
    public static final String TOPIC = "corrections";
    /** How many requests one person may file in {@link CorrectionsService#WINDOW}. */
    public static final int MAX_PER_PERSON = 3;
    /** The topic the job's decisions on proposed corrections are read from (with the region's topic prefix). */
    static final String ME_PREFIX = "/v1/corrections/me/";

    static final String FILE_SUFFIX = ":file";
    static final String PREFIX = "/v1/corrections";

    private final CorrectionsService service;
    private final CorrectionStore store;
    private final KafkaProducer<byte[], byte[]> producer;
    private final JobDecisions decisions;

    CorrectionsHandler(
            CorrectionsService service,
            CorrectionStore store,
            KafkaProducer<byte[], byte[]> producer,
            JobDecisions decisions) {
        this.service = service;
        this.store = store;
        this.producer = producer;
        this.decisions = decisions;
    }

    /**
     * The handler of a serving node: creates the {@code corrections} topic if missing, reads it, signs override
     * events with the node's override key under {@code dataDir} (the key {@link OverridesHandler} uses), and reads
     * the job's decisions on them back from the {@code audit} topic as {@code auditLog} indexes it ({@link JobDecisions}).
     */
    public static CorrectionsHandler open(
            Path dataDir,
            String bootstrapServers,
            KafkaClientSettings kafka,
            String topicPrefix,
            String region,
            AuditSink audit,
            AuditLog auditLog,
            Clock clock)
            throws IOException {
        TopicSetup.ensureCatalogueTopics(
                bootstrapServers, kafka.properties(), topicPrefix, List.of(TOPIC), java.util.Optional.empty());
        var pair = OverrideSignatures.openOrCreate(dataDir.resolve(OverridesHandler.KEY_DIR));
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "healthcode-corrections");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.with(p), new ByteArraySerializer(), new ByteArraySerializer());
        CorrectionStore store;
        try {
            store = new CorrectionStore(bootstrapServers, kafka, topicPrefix + TOPIC, producer);
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        CorrectionsService service = new CorrectionsService(
                store,
                new OverrideEvents(new OverrideSignatures.Signer(pair.getPrivate()), region),
                producer,
                topicPrefix + OverridesHandler.TOPIC,
                audit,
                clock,
                MAX_PER_PERSON);
        JobDecisions decisions = new JobDecisions(auditLog, service).start();
        return new CorrectionsHandler(service, store, producer, decisions);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        if (route != Route.CORRECTION_FILE
                && route != Route.CORRECTIONS_OF_PERSON
                && route != Route.CORRECTION_QUEUE
                && route != Route.CORRECTION_DECISION) {
            return false;
        }
        if (!route.method().equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, route.method());
            return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + route.method());
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        Role needed = route == Route.CORRECTION_FILE || route == Route.CORRECTIONS_OF_PERSON ? Role.APP : Role.OPERATOR;
        if (caller == null
                || caller.role() != needed
                || (needed == Role.OPERATOR && caller.via() == Caller.Via.DEV_OPEN)) {
            return JsonResponses.error(
                    response, callback, ErrorReason.FORBIDDEN, "this endpoint needs role " + needed.wireName());
        }
        String path = Request.getPathInContext(request);
        return switch (route) {
            case CORRECTIONS_OF_PERSON ->
                answer(response, callback, 200, () -> {
                    ObjectNode out = JsonResponses.MAPPER.createObjectNode();
                    ArrayNode arr = out.putArray("requests");
                    service.ofPerson(caller, path.substring(ME_PREFIX.length()))
                            .forEach(c -> arr.add(c.toPersonJson()));
                    return out;
                });
            case CORRECTION_QUEUE ->
                answer(response, callback, 200, () -> {
                    Fields q = Request.extractQueryParameters(request);
                    String state = q.getValue("state");
                    Correction.State wanted;
                    try {
                        wanted = state == null ? null : Correction.State.parse(state);
                    } catch (IllegalArgumentException e) {
                        throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, e.getMessage());
                    }
                    ObjectNode out = JsonResponses.MAPPER.createObjectNode();
                    ArrayNode arr = out.putArray("requests");
                    service.queue(caller, wanted).forEach(c -> arr.add(c.toJson()));
                    return out;
                });
            case CORRECTION_FILE ->
                RequestBodies.read(request, response, callback, bytes -> {
                    String personId = path.substring(ME_PREFIX.length(), path.length() - FILE_SUFFIX.length());
                    answer(response, callback, 201, () -> {
                        JsonNode body = body(bytes);
                        JsonNode named = body.get("personId");
                        if (named != null && !named.asText().equals(personId)) {
                            throw new CorrectionRefused(
                                    ErrorReason.FORBIDDEN, "a person files correction requests for themself only");
                        }
                        return service.file(caller, personId, text(body, "reason"), text(body, "evidence"))
                                .toPersonJson();
                    });
                });
            default ->
                RequestBodies.read(
                        request, response, callback, bytes -> decide(path, caller, bytes, response, callback));
        };
    }

    private void decide(String path, Caller caller, byte[] bytes, Response response, Callback callback) {
        String[] parts = path.substring(PREFIX.length() + 1).split("/", -1);
        answer(response, callback, 200, () -> {
            if (parts.length != 2) {
                throw new CorrectionRefused(
                        ErrorReason.NOT_FOUND, "expected /v1/corrections/{id}/take|propose|approve|uphold");
            }
            JsonNode body = body(bytes);
            Correction c = switch (parts[1]) {
                case "take" -> service.take(caller, parts[0]);
                case "propose" ->
                    service.propose(
                            caller, parts[0], text(body, "colour"), expiry(text(body, "expiry")), text(body, "note"));
                case "approve" -> service.approve(caller, parts[0]);
                case "uphold" -> service.uphold(caller, parts[0], text(body, "note"));
                default ->
                    throw new CorrectionRefused(
                            ErrorReason.NOT_FOUND, "expected /v1/corrections/{id}/take|propose|approve|uphold");
            };
            return c.toJson();
        });
    }

    /** What an action answers, or the refusal it met. */
    @FunctionalInterface
    private interface Action {
        ObjectNode run() throws CorrectionRefused;
    }

    private static boolean answer(Response response, Callback callback, int status, Action action) {
        try {
            return JsonResponses.json(response, callback, status, action.run());
        } catch (CorrectionRefused r) {
            if (r.retryAfterSeconds() > 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(r.retryAfterSeconds()));
            }
            return JsonResponses.error(response, callback, r.reason(), r.getMessage());
        }
    }

    private static JsonNode body(byte[] bytes) throws CorrectionRefused {
        if (bytes.length == 0) {
            return JsonResponses.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = JsonResponses.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "the body is not JSON");
        }
    }

    /** A text field's value; null when absent or null. */
    private static String text(JsonNode body, String field) throws CorrectionRefused {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "invalid '" + field + "': not text");
        }
        return v.asText();
    }

    private static Instant expiry(String text) throws CorrectionRefused {
        if (text == null) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "missing field 'expiry'");
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "invalid 'expiry': not ISO-8601 with offset");
        }
    }

    @Override
    public void close() {
        decisions.close();
        store.close();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
