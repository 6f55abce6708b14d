package org.healthcode.ingest.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.Arrays;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.Msisdns;
import org.healthcode.ingest.pseudonym.NationalPseudonym;
import org.healthcode.ingest.pseudonym.PersonIds;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.wire.EventTrees;

/**
 * The decoder of DESIGN §5: JSON lines and Protobuf events go through one validation path (Protobuf is first
 * mapped to the flat JSON tree by {@link EventTrees}), raw ID numbers and phone numbers are replaced by
 * pseudonyms, and every problem becomes a {@link Rejected} with a category, the field and a reason. One shortcut:
 * a valid Protobuf carrier ping (most of every feed) is read straight from the wire by {@link ProtoPings}, which
 * yields the same event and leaves every other record, bad pings included, to this path.
 *
 * <p>Checks, in order: the record parses (malformed); {@code type} is known (missing, unknown_type); {@code feed}
 * is the type's feed; {@code eventId}, {@code time} (ISO-8601 with offset), {@code region} (optional, six digits);
 * then the type's own fields ({@link EventBodies}, one reader per type). The first problem found is reported.
 */
public final class StandardEventDecoder implements EventDecoder {
    private static final long serialVersionUID = 1L;
    static final int MAX_EVENT_ID = 128;
    /** A mainland mobile number, bare or with country code 86 (0086), as a personId: a raw identity, refused. */
    static final java.util.regex.Pattern RAW_PHONE = java.util.regex.Pattern.compile("(0086|86)?1[3-9][0-9]{9}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String FEEDS =
            String.join("|", Arrays.stream(Feed.values()).map(Feed::wireName).toList());

    private final Pseudonymiser pseudonymiser;
    private final NationalPseudonym national;
    private final OverrideSignatures.Verifier overrideKey;

    /** A decoder that leaves {@code nationalId} of identity bindings empty (no national key configured). */
    public StandardEventDecoder(Pseudonymiser pseudonymiser) {
        this(pseudonymiser, null);
    }

    /**
     * @param national the national pseudonym key, or null: identity bindings with a raw ID number then get the
     *     person's national pseudonym as {@code nationalId} (only the binding, not every event: one more HMAC per
     *     event would cost throughput, and the binding is where the police name who a person is)
     */
    public StandardEventDecoder(Pseudonymiser pseudonymiser, NationalPseudonym national) {
        this(pseudonymiser, national, null);
    }

    /**
     * @param overrideKey the serving process's override signing key: override events are accepted only with its
     *     valid {@value OverrideSignatures#FIELD}; null refuses every override event (no key, no overrides)
     */
    public StandardEventDecoder(
            Pseudonymiser pseudonymiser, NationalPseudonym national, OverrideSignatures.Verifier overrideKey) {
        this.pseudonymiser = pseudonymiser;
        this.national = national;
        this.overrideKey = overrideKey;
    }

    @Override
    public Decoded decodeJsonLine(byte[] line, long lineNumber) {
        try {
            return Decoded.ok(validate(parseJson(line)));
        } catch (Problem p) {
            return Decoded.rejected(Rejected.ofLine(
                    lineNumber,
                    p.category,
                    p.field,
                    p.getMessage(),
                    RawScrubber.json(line, this::personIdOrNull, this::phoneIdOrNull)));
        }
    }

    @Override
    public Decoded decodeProto(byte[] value, String topic, int partition, long offset) {
        Event ping = ProtoPings.decode(value, pseudonymiser);
        if (ping != null) {
            return Decoded.ok(ping);
        }
        return decodeProtoGenerally(value, topic, partition, offset);
    }

    /** {@link #decodeProto} without the carrier-ping shortcut ({@link ProtoPings}): every record through the tree. */
    Decoded decodeProtoGenerally(byte[] value, String topic, int partition, long offset) {
        try {
            return Decoded.ok(validate(parseProto(value)));
        } catch (Problem p) {
            return Decoded.rejected(Rejected.ofKafka(
                    topic,
                    partition,
                    offset,
                    p.category,
                    p.field,
                    p.getMessage(),
                    RawScrubber.proto(value, this::personIdOrNull, this::phoneIdOrNull)));
        }
    }

    private static JsonNode parseJson(byte[] line) throws Problem {
        if (line.length == 0) {
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: empty line");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Problem(
                    RejectionCategory.MALFORMED, null, "malformed: not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: not JSON (" + e.getMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: a line must be one JSON object");
        }
        return node;
    }

    private static JsonNode parseProto(byte[] value) throws Problem {
        if (value.length == 0) {
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: empty record");
        }
        org.healthcode.ingest.proto.Event proto;
        try {
            proto = org.healthcode.ingest.proto.Event.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new Problem(
                    RejectionCategory.MALFORMED, null, "malformed: not a Protobuf Event (" + e.getMessage() + ")");
        }
        if (proto.getType().isEmpty()
                && proto.getFeed().isEmpty()
                && proto.getEventId().isEmpty()
                && !proto.getUnknownFields().asMap().isEmpty()) {
            // random bytes often parse as a message of nothing but unknown fields
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: not a Protobuf Event (no known field)");
        }
        String body = EventTrees.bodyType(proto);
        if (body != null && EventType.fromWire(proto.getType()).isPresent() && !body.equals(proto.getType())) {
            throw Problem.invalid("type", Problem.quote(proto.getType()) + " does not match the message body " + body);
        }
        return EventTrees.toTree(proto);
    }

    private Event validate(JsonNode node) throws Problem {
        FieldReader common = new FieldReader(node, "every event");
        String typeName = common.requiredText("type", "a type");
        EventType type = EventType.fromWire(typeName)
                .orElseThrow(() ->
                        new Problem(RejectionCategory.UNKNOWN_TYPE, "type", "unknown_type " + Problem.quote(typeName)));
        FieldReader f = new FieldReader(node, type.wireName());
        String feedName = f.requiredText(
                "feed", type.wireName() + " comes from " + type.feed().wireName());
        Feed feed = Feed.fromWire(feedName)
                .orElseThrow(() -> Problem.invalid("feed", Problem.quote(feedName) + " is not one of " + FEEDS));
        if (feed != type.feed()) {
            throw Problem.invalid(
                    "feed",
                    Problem.quote(feedName) + " does not carry " + type.wireName() + " (it comes from "
                            + type.feed().wireName() + ")");
        }
        String eventId = f.requiredText("eventId", "an id unique per source");
        if (eventId.length() > MAX_EVENT_ID) {
            throw Problem.invalid("eventId", "longer than " + MAX_EVENT_ID + " characters");
        }
        if (feed != Feed.DECLARATIONS && DeclarationIds.isDeclaration(eventId)) {
            throw Problem.invalid(
                    "eventId", "starts with " + Problem.quote(DeclarationIds.PREFIX) + ", which only declarations use");
        }
        long time = f.requiredTime("time", "every event needs an ISO-8601 time with offset");
        String region = f.optionalArea("region");
        Event.Builder b = Event.builder(eventId, type, time, region);
        EventBodies.of(type).read(f, b, new EventBodies.Envelope(eventId, time, region, this));
        Event event = b.build();
        if (feed == Feed.OVERRIDES) {
            checkSignature(node, f);
        }
        return event;
    }

    /** An override event stands only when the serving process that authenticated its operator signed it. */
    private void checkSignature(JsonNode node, FieldReader f) throws Problem {
        String signature = f.optionalText(OverrideSignatures.FIELD);
        if (signature == null) {
            throw Problem.missing(
                    OverrideSignatures.FIELD,
                    "override decisions are accepted only signed by the "
                            + "serving process that authenticated the operator");
        }
        if (overrideKey == null) {
            throw Problem.invalid(
                    OverrideSignatures.FIELD, "no override key is configured, so no override is accepted");
        }
        if (!overrideKey.verify(node, signature)) {
            throw Problem.invalid(OverrideSignatures.FIELD, "not the serving process's signature over this event");
        }
    }

    /** The person's pseudonym: from {@code idNumber} (pseudonymised here) or {@code personId} (as is). */
    String person(FieldReader f) throws Problem {
        String idNumber = f.optionalSensitiveText("idNumber");
        String personId = f.optionalText("personId");
        if (idNumber != null) {
            String problem = IdNumbers.problem(idNumber);
            if (problem != null) {
                throw Problem.invalid("idNumber", problem);
            }
            String pseudonym = pseudonymiser.personId(idNumber);
            if (personId != null && !personId.equals(pseudonym)) {
                throw Problem.invalid("personId", "does not match idNumber (give one of them)");
            }
            return pseudonym;
        }
        if (personId == null) {
            throw new Problem(
                    RejectionCategory.MISSING,
                    "idNumber",
                    "missing field 'idNumber' (or 'personId': this event is about a person)");
        }
        if (!PersonIds.isValid(personId)) {
            throw Problem.invalid("personId", Problem.quote(personId) + " is not 1-64 characters of [A-Za-z0-9_-]");
        }
        if (IdNumbers.isValid(personId)) { // not quoted: the value must not reach the rejected topic or a log
            throw Problem.invalid("personId", "is a raw ID number: send it as idNumber, which ingest pseudonymises");
        }
        if (RAW_PHONE.matcher(personId).matches()) {
            throw Problem.invalid("personId", "is a raw phone number: a person is named by idNumber or a pseudonym");
        }
        return personId;
    }

    /** The pseudonym of a valid raw ID number, else null: for taking raw values out of rejected records. */
    private String personIdOrNull(String idNumber) {
        return IdNumbers.isValid(idNumber) ? pseudonymiser.personId(idNumber) : null;
    }

    private String phoneIdOrNull(String msisdn) {
        return Msisdns.isValid(msisdn) ? pseudonymiser.phoneId(msisdn) : null;
    }

    /** The phone's pseudonym: from {@code msisdn} (pseudonymised here) or {@code phoneId} (as is). */
    String phone(FieldReader f) throws Problem {
        String msisdn = f.optionalSensitiveText("msisdn");
        if (msisdn == null) {
            String phoneId = f.optionalText("phoneId");
            if (phoneId != null) { // a pseudonym already (a re-injected rejected record)
                if (!PersonIds.isValid(phoneId)) {
                    throw Problem.invalid("phoneId", "is not 1-64 characters of [A-Za-z0-9_-]");
                }
                return phoneId;
            }
            throw Problem.missing("msisdn", "the phone number: 6-15 digits, optional leading +");
        }
        String problem = Msisdns.problem(msisdn);
        if (problem != null) {
            throw Problem.invalid("msisdn", problem);
        }
        return pseudonymiser.phoneId(msisdn);
    }

    /** The national pseudonym of a valid raw ID number, or null when no national key is configured. */
    String nationalIdOrNull(String idNumber) {
        return national == null ? null : national.of(idNumber);
    }

    @Override
    public String toString() {
        return "StandardEventDecoder[" + pseudonymiser + "]";
    }
}
