package org.healthcode.interop.declarations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.declarations.DeclarationEvents;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.proto.Event;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person declares their health (健康申报) or the areas they passed through (行程申报) through their app, acting on
 * their own pseudonymous id as the person page does; each declaration becomes events on the {@value #TOPIC} topic
 * (with the region's topic prefix), keyed by that id, for the job.
 * <ul>
 *   <li>{@code POST /v1/declarations/{personId}/health}
 *       {@code {"declarationId","declaredAt","symptoms":[...],"temperature"}} -> 202;</li>
 *   <li>{@code POST /v1/declarations/{personId}/itinerary}
 *       {@code {"declarationId","declaredAt","stops":[{"areaCode","from","to"}]}} -> 202.</li>
 * </ul>
 * The app chooses {@code declarationId} and {@code declaredAt} once per declaration and sends both again on a retry:
 * the event ids derive from the person and the declaration id and every field is taken as sent, so a retry, a
 * restart of this process or another replica writes the same events again and the job keeps one of each. Nothing is
 * remembered here. Each event is checked by the job's own decoder first ({@link DeclarationEvents#problem}), so what
 * the job would reject is answered 400 naming the field. Every declaration, accepted or not, is audited (action
 * {@value #AUDIT_ACTION}) before it is answered.
 */
public final class DeclarationsHandler extends Handler.Abstract implements AutoCloseable {
    /** The declarations feed's topic the job reads. */
    public static final String TOPIC = "declarations";
    /** The audit action of a declaration. */
    public static final String AUDIT_ACTION = AuditRecord.DECLARATION;
    /** How far back a declaration may be dated: an app that was offline sends it later, not days later. */
    static final Duration MAX_AGE = Duration.ofHours(24);
    /** How far ahead of this process's clock a phone's clock may be. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    private static final String PREFIX = "/v1/declarations/";
    private static final Logger LOG = LoggerFactory.getLogger(DeclarationsHandler.class);

    private final DeclarationEvents events;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AuditSink audit;
    private final Clock clock;

    /** A refused declaration: the field and why. */
    private static final class Refused extends Exception {
        final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    public DeclarationsHandler(
            DeclarationEvents events,
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            AuditSink audit,
            Clock clock) {
        this.events = events;
        this.producer = producer;
        this.topic = topic;
        this.audit = audit;
        this.clock = clock;
    }

    /** The handler of a serving node: a producer to {@code prefix} {@link #TOPIC}. */
    public static DeclarationsHandler open(
            String bootstrapServers,
            KafkaClientSettings kafka,
            String topicPrefix,
            String region,
            AuditSink audit,
            Clock clock) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "healthcode-declarations");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.with(p), new ByteArraySerializer(), new ByteArraySerializer());
        return new DeclarationsHandler(new DeclarationEvents(region), producer, topicPrefix + TOPIC, audit, clock);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        if (route != Route.DECLARE_HEALTH && route != Route.DECLARE_ITINERARY) {
            return false;
        }
        if (!route.method().equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, route.method());
            return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only POST");
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        String path = Request.getPathInContext(request);
        String personId = path.substring(PREFIX.length(), path.lastIndexOf('/'));
        String kind = route == Route.DECLARE_HEALTH ? "health" : "itinerary";
        if (!PersonIds.isWellFormed(personId) || PersonIds.looksLikeRawIdentity(personId)) {
            // a raw identity is neither recorded nor echoed: the audit names no subject
            audit.record(AuditRecord.of(
                    clock.instant(), caller, AUDIT_ACTION, null, ErrorReason.MALFORMED_PERSON_ID.code(), kind));
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_PERSON_ID,
                    PersonIds.looksLikeRawIdentity(personId)
                            ? PersonIds.RAW_IDENTITY
                            : "a person id is 1 to 64 characters of [A-Za-z0-9_-]");
        }
        return RequestBodies.read(
                request,
                response,
                callback,
                bytes -> declare(route, kind, personId, caller, bytes, response, callback));
    }

    /** Checks the declaration, writes its events, audits and answers. */
    private void declare(
            Route route,
            String kind,
            String personId,
            Caller caller,
            byte[] bytes,
            Response response,
            Callback callback)
            throws Exception {
        Instant now = clock.instant();
        List<Event> declared;
        String declarationId = null;
        try {
            JsonNode body = parseJson(bytes);
            declarationId = declarationId(body);
            String declaredAt = declaredAt(body, now);
            declared = route == Route.DECLARE_HEALTH
                    ? List.of(events.health(declaredAt, personId, declarationId, symptoms(body), temperature(body)))
                    : events.itinerary(declaredAt, personId, declarationId, stops(body));
            for (int i = 0; i < declared.size(); i++) {
                Rejected r = events.problem(declared.get(i));
                if (r != null) {
                    if (route == Route.DECLARE_ITINERARY && isStopField(r.field())) {
                        throw new Refused("stops[" + i + "]." + r.field(), "stops[" + i + "]: " + r.reason());
                    }
                    throw "time".equals(r.field())
                            ? new Refused("declaredAt", r.reason().replace("'time'", "'declaredAt'"))
                            : new Refused(r.field(), r.reason());
                }
            }
        } catch (Refused e) {
            audit.record(AuditRecord.of(
                    now,
                    caller,
                    AUDIT_ACTION,
                    personId,
                    ErrorReason.MALFORMED_REQUEST.code(),
                    kind + " " + (declarationId == null ? "-" : declarationId) + ": " + e.field));
            ObjectNode out = JsonResponses.MAPPER.createObjectNode();
            out.put("error", ErrorReason.MALFORMED_REQUEST.code());
            out.put("field", e.field);
            out.put("message", e.getMessage());
            JsonResponses.json(response, callback, ErrorReason.MALFORMED_REQUEST.httpStatus(), out);
            return;
        }
        List<String> eventIds = new ArrayList<>(declared.size());
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(declared.size());
            for (Event e : declared) {
                eventIds.add(e.getEventId());
                sent.add(producer.send(
                        new ProducerRecord<>(topic, personId.getBytes(StandardCharsets.UTF_8), e.toByteArray())));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("{} declaration {} not written: {}", kind, declarationId, e.toString());
            audit.record(AuditRecord.of(
                    now, caller, AUDIT_ACTION, personId, ErrorReason.UNAVAILABLE.code(), kind + " " + declarationId));
            JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.UNAVAILABLE,
                    "the declaration could not be recorded; send it again with the same declarationId");
            return;
        }
        audit.record(AuditRecord.of(
                now, caller, AUDIT_ACTION, personId, "accepted", kind + " " + declarationId + " " + declared.size()));
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        out.put("declarationId", declarationId);
        out.put("kind", kind);
        ArrayNode ids = out.putArray("eventIds");
        eventIds.forEach(ids::add);
        JsonResponses.json(response, callback, 202, out);
    }

    private static boolean isStopField(String field) {
        return "areaCode".equals(field) || "from".equals(field) || "to".equals(field);
    }

    private static JsonNode parseJson(byte[] bytes) throws Refused {
        try {
            JsonNode n = bytes.length == 0 ? null : JsonResponses.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new Refused("body", "the body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new Refused("body", "the body is not JSON");
        }
    }

    private static String text(JsonNode body, String field, String needs) throws Refused {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            throw new Refused(field, "missing field '" + field + "' (" + needs + ")");
        }
        if (!v.isTextual()) {
            throw new Refused(field, "invalid '" + field + "': must be a string");
        }
        return v.asText();
    }

    private static String declarationId(JsonNode body) throws Refused {
        String id = text(body, "declarationId", "the app's id of this declaration, the same on every retry");
        if (!DeclarationIds.DECLARATION_ID.matcher(id).matches()) {
            throw new Refused("declarationId", "invalid 'declarationId': not 1-40 characters of [A-Za-z0-9_-]");
        }
        return id;
    }

    /** When the person declared, as the app says; within the last day and not ahead of this clock. */
    private static String declaredAt(JsonNode body, Instant now) throws Refused {
        String text = text(body, "declaredAt", "when the person declared, ISO-8601 with offset");
        Instant at;
        try {
            at = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused(
                    "declaredAt", "invalid 'declaredAt': not ISO-8601 with offset (e.g. 2022-04-01T09:30:00+08:00)");
        }
        if (at.isAfter(now.plus(MAX_AHEAD))) {
            throw new Refused("declaredAt", "invalid 'declaredAt': in the future");
        }
        if (at.isBefore(now.minus(MAX_AGE))) {
            throw new Refused("declaredAt", "invalid 'declaredAt': more than " + MAX_AGE.toHours() + " h ago");
        }
        return text;
    }

    private static List<String> symptoms(JsonNode body) throws Refused {
        JsonNode v = body.get("symptoms");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new Refused("symptoms", "invalid 'symptoms': must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new Refused("symptoms", "invalid 'symptoms': must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static Double temperature(JsonNode body) throws Refused {
        JsonNode v = body.get("temperature");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new Refused("temperature", "invalid 'temperature': must be a number (degrees Celsius)");
        }
        return v.asDouble();
    }

    private static List<DeclarationEvents.Stop> stops(JsonNode body) throws Refused {
        JsonNode v = body.get("stops");
        if (v == null || v.isNull() || v.isArray() && v.isEmpty()) {
            throw new Refused("stops", "missing field 'stops' (the areas passed through: areaCode, from, to)");
        }
        if (!v.isArray()) {
            throw new Refused("stops", "invalid 'stops': must be an array of {areaCode, from, to}");
        }
        if (v.size() > DeclarationIds.MAX_STOPS) {
            throw new Refused("stops", "invalid 'stops': at most " + DeclarationIds.MAX_STOPS + " areas");
        }
        List<DeclarationEvents.Stop> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode s = v.get(i);
            if (!s.isObject()) {
                throw new Refused("stops[" + i + "]", "invalid 'stops[" + i + "]': must be {areaCode, from, to}");
            }
            out.add(new DeclarationEvents.Stop(
                    stopText(s, i, "areaCode"), stopText(s, i, "from"), stopText(s, i, "to")));
        }
        return out;
    }

    private static String stopText(JsonNode stop, int i, String field) throws Refused {
        JsonNode v = stop.get(field);
        if (v == null || v.isNull()) {
            return null; // the decoder names it missing
        }
        if (!v.isTextual()) {
            throw new Refused(
                    "stops[" + i + "]." + field, "invalid 'stops[" + i + "]." + field + "': must be a string");
        }
        return v.asText();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
