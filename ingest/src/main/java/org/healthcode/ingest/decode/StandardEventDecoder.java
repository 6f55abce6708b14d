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
import org.healthcode.ingest.events.DiagnosisStatus;
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
 * then the type's own fields. The first problem found is reported.
 */
public final class StandardEventDecoder implements EventDecoder {
    private static final long serialVersionUID = 1L;
    private static final int MAX_EVENT_ID = 128;
    /** A mainland mobile number, bare or with country code 86 (0086), as a personId: a raw identity, refused. */
    static final java.util.regex.Pattern RAW_PHONE = java.util.regex.Pattern.compile("(0086|86)?1[3-9][0-9]{9}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String FEEDS = String.join("|", Arrays.stream(Feed.values()).map(Feed::wireName).toList());

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
    public StandardEventDecoder(Pseudonymiser pseudonymiser, NationalPseudonym national,
                                OverrideSignatures.Verifier overrideKey) {
        this.pseudonymiser = pseudonymiser;
        this.national = national;
        this.overrideKey = overrideKey;
    }

    @Override
    public Decoded decodeJsonLine(byte[] line, long lineNumber) {
        try {
            return Decoded.ok(validate(parseJson(line)));
        } catch (Problem p) {
            return Decoded.rejected(Rejected.ofLine(lineNumber, p.category, p.field, p.getMessage(),
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
            return Decoded.rejected(Rejected.ofKafka(topic, partition, offset, p.category, p.field, p.getMessage(),
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
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: not JSON (" + e.getOriginalMessage() + ")");
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
            throw new Problem(RejectionCategory.MALFORMED, null, "malformed: not a Protobuf Event (" + e.getMessage() + ")");
        }
        if (proto.getType().isEmpty() && proto.getFeed().isEmpty() && proto.getEventId().isEmpty()
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
        EventType type = EventType.fromWire(typeName).orElseThrow(() -> new Problem(RejectionCategory.UNKNOWN_TYPE,
                "type", "unknown_type " + Problem.quote(typeName)));
        FieldReader f = new FieldReader(node, type.wireName());
        String feedName = f.requiredText("feed", type.wireName() + " comes from " + type.feed().wireName());
        Feed feed = Feed.fromWire(feedName).orElseThrow(() ->
                Problem.invalid("feed", Problem.quote(feedName) + " is not one of " + FEEDS));
        if (feed != type.feed()) {
            throw Problem.invalid("feed", Problem.quote(feedName) + " does not carry " + type.wireName()
                    + " (it comes from " + type.feed().wireName() + ")");
        }
        String eventId = f.requiredText("eventId", "an id unique per source");
        if (eventId.length() > MAX_EVENT_ID) {
            throw Problem.invalid("eventId", "longer than " + MAX_EVENT_ID + " characters");
        }
        long time = f.requiredTime("time", "every event needs an ISO-8601 time with offset");
        String region = f.optionalArea("region");
        Event.Builder b = Event.builder(eventId, type, time, region);
        switch (type) {
            case TEST_RESULT -> b.personId(person(f))
                    .method(f.requiredEnum("method", "pcr", "antigen"))
                    .positive(f.requiredEnum("result", "positive", "negative").equals("positive"))
                    .tubeId(f.optionalText("tubeId"))
                    .pooled(f.optionalBool("pooled", false));
            case DIAGNOSIS -> b.personId(person(f))
                    .diagnosis(DiagnosisStatus.fromWire(f.requiredEnum("status", "confirmed", "asymptomatic",
                            "suspected", "discharged", "cleared")).orElseThrow())
                    .onset(f.optionalDate("onset"));
            case FEVER_CLINIC_VISIT -> b.personId(person(f)).clinicId(f.requiredText("clinicId", "the clinic's id"));
            case QUARANTINE -> b.personId(person(f))
                    .action(f.requiredEnum("action", "start", "end"))
                    .kind(f.requiredEnum("kind", "central", "home"));
            case VACCINATION -> b.personId(person(f)).dose(f.requiredInt("dose", 1, 20, "the dose number, 1 and up"));
            case IDENTITY -> {
                b.personId(person(f)).msisdn(phone(f)).areaCode(f.requiredArea("areaCode"));
                String idNumber = f.optionalSensitiveText("idNumber");
                if (national != null && idNumber != null) {
                    b.nationalId(national.of(idNumber)); // valid: person(f) checked it
                }
            }
            case CONTACT_DESIGNATION -> b.personId(person(f))
                    .degree(f.requiredInt("degree", 1, 2, "1 or 2"))
                    .exposure(f.requiredTime("exposure", "contact_designation needs the last exposure, ISO-8601 with offset"))
                    .caseId(f.optionalText("caseId"));
            case HOTEL_CHECKIN -> {
                b.personId(person(f)).hotelId(f.requiredText("hotelId", "the hotel's id")).areaCode(f.requiredArea("areaCode"));
                Long checkOut = f.optionalTime("checkOut");
                if (checkOut != null && checkOut < time) {
                    throw Problem.invalid("checkOut", "is before the check-in time");
                }
                b.checkOut(checkOut);
            }
            case BORDER_ENTRY -> {
                b.personId(person(f)).port(f.requiredText("port", "the port of entry"));
                String country = f.requiredText("fromCountry", "an ISO 3166 alpha-2 country code");
                if (!country.matches("[A-Z]{2}")) {
                    throw Problem.invalid("fromCountry", Problem.quote(country) + " is not an ISO 3166 alpha-2 code");
                }
                b.fromCountry(country);
            }
            case TRIP -> {
                String mode = f.requiredEnum("mode", "flight", "train", "bus", "ship");
                b.personId(person(f)).mode(mode)
                        .vehicleId(f.requiredText("vehicleId", "the vehicle and date, e.g. CZ3101@2022-04-01"))
                        .sealed(f.optionalBool("sealed", false))
                        .carriage(f.optionalTextOrInt("carriage"))
                        .row(f.optionalInt("row", 1, 999))
                        .fromArea(f.requiredArea("fromArea"))
                        .toArea(f.requiredArea("toArea"));
                long departure = f.requiredTime("departure", "trip needs the departure, ISO-8601 with offset");
                long arrival = f.requiredTime("arrival", "trip needs the arrival, ISO-8601 with offset");
                if (arrival < departure) {
                    throw Problem.invalid("arrival", "is before the departure");
                }
                b.departure(departure).arrival(arrival);
            }
            case PING -> b.msisdn(phone(f))
                    .lat(f.requiredDouble("lat", -90, 90, "the latitude, WGS 84 degrees"))
                    .lon(f.requiredDouble("lon", -180, 180, "the longitude, WGS 84 degrees"));
            case CITY_STAY -> {
                b.msisdn(phone(f)).areaCode(f.requiredArea("areaCode"));
                interval(f, b, true);
            }
            case SCAN -> b.personId(person(f))
                    .venueId(f.requiredText("venueId", "the venue's id"))
                    .areaCode(f.requiredArea("areaCode"))
                    .direction(orDefault(f.optionalEnum("direction", "in", "out"), "in"));
            case RISK_AREA -> {
                b.areaCode(f.requiredArea("areaCode")).level(f.requiredEnum("level", "high", "medium", "low"));
                interval(f, b, false);
            }
            case TEST_CAMPAIGN -> {
                b.areaCode(f.requiredArea("areaCode"));
                interval(f, b, true);
                b.intervalHours(f.requiredInt("intervalHours", 1, 24 * 365, "the testing interval in hours"));
            }
            case OVERRIDE_REQUEST -> {
                b.personId(person(f)).requestId(requestId(f))
                        .colour(f.requiredEnum("colour", "green", "yellow", "red"));
                String basis = f.requiredText("basis", "a written basis: no override without one");
                if (basis.isBlank()) {
                    throw Problem.missing("basis", "a written basis: no override without one");
                }
                long expiry = f.requiredTime("expiry", "an override needs an expiry, ISO-8601 with offset");
                if (expiry <= time) {
                    throw Problem.invalid("expiry", "is not after the request's time");
                }
                b.basis(basis).expiry(expiry).operator(operator(f, "requester"));
            }
            case OVERRIDE_APPROVAL -> b.requestId(requestId(f)).operator(operator(f, "approver"));
            case OVERRIDE_REFUSAL -> b.requestId(requestId(f)).operator(operator(f, "operator"))
                    .reason(f.requiredText("reason", "why the request is refused"));
            case OVERRIDE_WITHDRAWAL -> b.requestId(requestId(f)).operator(operator(f, "operator"));
            case RISK_PERSON -> riskPerson(f, b, region);
        }
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
            throw Problem.missing(OverrideSignatures.FIELD, "override decisions are accepted only signed by the "
                    + "serving process that authenticated the operator");
        }
        if (overrideKey == null) {
            throw Problem.invalid(OverrideSignatures.FIELD,
                    "no override key is configured, so no override is accepted");
        }
        if (!overrideKey.verify(node, signature)) {
            throw Problem.invalid(OverrideSignatures.FIELD, "not the serving process's signature over this event");
        }
    }

    /** interop/risk_person: what another region (the event's {@code region}) may tell about a person, nothing more. */
    private static void riskPerson(FieldReader f, Event.Builder b, String region) throws Problem {
        if (region == null) {
            throw Problem.missing("region", "risk_person needs the issuing region, a six-digit GB/T 2260 code");
        }
        String nationalId = f.requiredText("nationalId", "the person's national pseudonym");
        if (!PersonIds.isValid(nationalId)) {
            throw Problem.invalid("nationalId", Problem.quote(nationalId) + " is not 1-64 characters of [A-Za-z0-9_-]");
        }
        String colour = f.requiredEnum("colour", "red", "yellow", "green");
        String category = f.requiredEnum("reasonCategory", "infection", "contact", "risk_area", "other");
        long since = f.requiredTime("since", "since when the person has had the colour, ISO-8601 with offset");
        Long expiry = colour.equals("green") ? f.optionalTime("expiry")
                : Long.valueOf(f.requiredTime("expiry", "when a red or yellow record lapses, ISO-8601 with offset"));
        if (expiry != null && expiry <= since) {
            throw Problem.invalid("expiry", "is not after 'since'");
        }
        b.nationalId(nationalId).colour(colour).reasonCategory(category).from(since).expiry(expiry);
    }

    private static String requestId(FieldReader f) throws Problem {
        String id = f.requiredText("requestId", "the override request's id");
        if (id.length() > MAX_EVENT_ID) {
            throw Problem.invalid("requestId", "longer than " + MAX_EVENT_ID + " characters");
        }
        return id;
    }

    /**
     * An operator id in canonical form ({@link OverrideSignatures#canonicalOperator}: NFKC, stripped, lower case),
     * then 1-64 characters of {@code [a-z0-9_.@-]}: audit lines name operators unambiguously, and "Op-Chen" cannot
     * approve what "op-chen" requested.
     */
    private static String operator(FieldReader f, String field) throws Problem {
        String op = OverrideSignatures.canonicalOperator(f.requiredText(field, "the operator's id"));
        if (!op.matches("[a-z0-9_.@-]{1,64}")) {
            throw Problem.invalid(field, Problem.quote(op) + " is not 1-64 characters of [A-Za-z0-9_.@-]");
        }
        return op;
    }

    private static void interval(FieldReader f, Event.Builder b, boolean toRequired) throws Problem {
        long from = f.requiredTime("from", "the start, ISO-8601 with offset");
        Long to = toRequired ? Long.valueOf(f.requiredTime("to", "the end, ISO-8601 with offset")) : f.optionalTime("to");
        if (to != null && to < from) {
            throw Problem.invalid("to", "is before 'from'");
        }
        b.from(from).to(to);
    }

    /** The person's pseudonym: from {@code idNumber} (pseudonymised here) or {@code personId} (as is). */
    private String person(FieldReader f) throws Problem {
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
            throw new Problem(RejectionCategory.MISSING, "idNumber",
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

    private String phone(FieldReader f) throws Problem {
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

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }

    @Override
    public String toString() {
        return "StandardEventDecoder[" + pseudonymiser + "]";
    }
}
