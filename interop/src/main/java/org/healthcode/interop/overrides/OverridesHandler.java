package org.healthcode.interop.overrides;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.overrides.OverrideEvents;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators request, approve, refuse and withdraw manual overrides here; the caller's authenticated name is the
 * operator of the event (never a field of the body), and every event is signed with this process's override key
 * before it goes to the {@value #TOPIC} topic (with the region's topic prefix), where the job accepts nothing unsigned
 * ({@link OverrideSignatures}). The job decides (second operator, expiry bound, state of the request) and audits
 * every action; this endpoint answers 202 once the broker has the event.
 * <ul>
 *   <li>{@code POST /v1/overrides} {@code {"personId","colour","basis","expiry"}} -> 202 {@code {"requestId"}};</li>
 *   <li>{@code POST /v1/overrides/{requestId}/approve}, {@code .../withdraw}, {@code .../refuse}
 *       {@code {"reason"}} -> 202.</li>
 * </ul>
 * Access control ran before (role operator only, {@link Route#OVERRIDES}); an operator acts only for this region.
 */
public final class OverridesHandler extends Handler.Abstract implements AutoCloseable {
    /** The overrides feed's topic the job reads. */
    public static final String TOPIC = "overrides";
    /** Where under the data directory the signing key pair lives. */
    public static final String KEY_DIR = "override-key";

    static final String PREFIX = "/v1/overrides";
    private static final int MAX_BASIS = 2_000;
    private static final Pattern PERSON_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Set<String> COLOURS = Set.of("green", "yellow", "red");
    private static final Logger LOG = LoggerFactory.getLogger(OverridesHandler.class);

    private final OverrideEvents events;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String region;
    private final Clock clock;

    public OverridesHandler(
            OverrideEvents events, KafkaProducer<byte[], byte[]> producer, String topic, String region, Clock clock) {
        this.events = events;
        this.producer = producer;
        this.topic = topic;
        this.region = region;
        this.clock = clock;
    }

    /** The handler of a serving node: its key under {@code dataDir}, a producer to {@code prefix} {@link #TOPIC}. */
    public static OverridesHandler open(
            Path dataDir,
            String bootstrapServers,
            KafkaClientSettings kafka,
            String topicPrefix,
            String region,
            Clock clock)
            throws java.io.IOException {
        Path keyDir = dataDir.resolve(KEY_DIR);
        var pair = OverrideSignatures.openOrCreate(keyDir);
        LOG.info(
                "override events are signed with the key in {}; give the job --override-key {}",
                keyDir,
                keyDir.resolve(OverrideSignatures.PUBLIC_KEY_FILE));
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "healthcode-overrides");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.with(p), new ByteArraySerializer(), new ByteArraySerializer());
        return new OverridesHandler(
                new OverrideEvents(new OverrideSignatures.Signer(pair.getPrivate()), region),
                producer,
                topicPrefix + TOPIC,
                region,
                clock);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Route.of(request) != Route.OVERRIDES) {
            return false;
        }
        String path = Request.getPathInContext(request);
        if (!Route.OVERRIDES.method().equals(request.getMethod())) {
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.ALLOW, Route.OVERRIDES.method());
            return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only POST");
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        if (caller == null || caller.role() != Role.OPERATOR || caller.via() == Caller.Via.DEV_OPEN) {
            return JsonResponses.error(response, callback, ErrorReason.FORBIDDEN, "overrides need an operator");
        }
        if (region != null && !region.equals(caller.region())) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.WRONG_REGION,
                    "an operator of region " + caller.region() + " cannot act on region " + region + "'s overrides");
        }
        // read without holding a thread while the body arrives, at most the bound RequestLimits sets for the path
        return RequestBodies.read(
                request, response, callback, bytes -> submit(path, caller, bytes, response, callback));
    }

    /** Builds, signs and writes the override event the body asks for, and answers. */
    private boolean submit(String path, Caller caller, byte[] bytes, Response response, Callback callback) {
        JsonNode body;
        try {
            body = parseJson(bytes);
        } catch (IllegalArgumentException e) {
            return JsonResponses.error(response, callback, ErrorReason.MALFORMED_REQUEST, e.getMessage());
        }
        String eventId = "ovr-" + UUID.randomUUID();
        Instant now = clock.instant();
        org.healthcode.ingest.proto.Event event;
        String requestId;
        try {
            if (path.equals(PREFIX)) {
                requestId = "req-" + UUID.randomUUID();
                event = events.request(
                        eventId,
                        now,
                        personId(body),
                        requestId,
                        colour(body),
                        basis(body),
                        expiry(body, now),
                        caller.name());
            } else {
                String[] parts = path.substring(PREFIX.length() + 1).split("/", -1);
                if (parts.length != 2 || !REQUEST_ID.matcher(parts[0]).matches()) {
                    return JsonResponses.error(
                            response,
                            callback,
                            ErrorReason.NOT_FOUND,
                            "expected /v1/overrides/{requestId}/approve|refuse|withdraw");
                }
                requestId = parts[0];
                event = switch (parts[1]) {
                    case "approve" -> events.approval(eventId, now, requestId, caller.name());
                    case "withdraw" -> events.withdrawal(eventId, now, requestId, caller.name());
                    case "refuse" -> events.refusal(eventId, now, requestId, caller.name(), text(body, "reason"));
                    default -> null;
                };
                if (event == null) {
                    return JsonResponses.error(
                            response,
                            callback,
                            ErrorReason.NOT_FOUND,
                            "expected /v1/overrides/{requestId}/approve|refuse|withdraw");
                }
            }
        } catch (IllegalArgumentException e) {
            return JsonResponses.error(response, callback, ErrorReason.MALFORMED_REQUEST, e.getMessage());
        }
        try {
            producer.send(new ProducerRecord<>(topic, eventId.getBytes(StandardCharsets.UTF_8), event.toByteArray()))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("override event {} of {} not written: {}", eventId, caller.name(), e.toString());
            return JsonResponses.error(
                    response, callback, ErrorReason.UNAVAILABLE, "the override could not be recorded; try again");
        }
        LOG.info("override {} {} by {} submitted as {}", requestId, event.getType(), caller.name(), eventId);
        ObjectNode out = JsonResponses.MAPPER.createObjectNode();
        out.put("requestId", requestId);
        out.put("eventId", eventId);
        out.put("type", event.getType());
        out.put("operator", OverrideSignatures.canonicalOperator(caller.name()));
        return JsonResponses.json(response, callback, 202, out);
    }

    private static JsonNode parseJson(byte[] bytes) {
        if (bytes.length == 0) {
            return JsonResponses.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = JsonResponses.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v.asText();
    }

    private static String personId(JsonNode body) {
        String id = text(body, "personId");
        if (!PERSON_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid 'personId': not a person id");
        }
        return id;
    }

    private static String colour(JsonNode body) {
        String c = text(body, "colour");
        if (!COLOURS.contains(c)) {
            throw new IllegalArgumentException("invalid 'colour': one of green, yellow, red");
        }
        return c;
    }

    private static String basis(JsonNode body) {
        String b = text(body, "basis");
        if (b.length() > MAX_BASIS) {
            throw new IllegalArgumentException("invalid 'basis': longer than " + MAX_BASIS + " characters");
        }
        return b;
    }

    private static Instant expiry(JsonNode body, Instant now) {
        Instant e;
        try {
            e = OffsetDateTime.parse(text(body, "expiry")).toInstant();
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("invalid 'expiry': not ISO-8601 with offset");
        }
        if (!e.isAfter(now)) {
            throw new IllegalArgumentException("invalid 'expiry': not in the future");
        }
        return e;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
