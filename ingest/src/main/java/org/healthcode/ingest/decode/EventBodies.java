package org.healthcode.ingest.decode;

import static org.healthcode.ingest.decode.StandardEventDecoder.MAX_EVENT_ID;

import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.pseudonym.PersonIds;

/**
 * The fields of each event type's body (docs/events.md), one small reader per type: each checks its fields in order,
 * fails with the first problem naming the field, and fills the event. The envelope ({@code type}, {@code feed},
 * {@code eventId}, {@code time}, {@code region}) is checked before, by {@link StandardEventDecoder}.
 */
final class EventBodies {
    private EventBodies() {}

    /** Reads one type's body into the event being built. */
    @FunctionalInterface
    interface BodyReader {
        void read(FieldReader f, Event.Builder b, Envelope e) throws Problem;
    }

    /**
     * What a body reader may need besides its fields.
     *
     * @param eventId the event's id
     * @param time the event's time
     * @param region its region, null when absent
     * @param decoder pseudonyms of persons and phones
     */
    record Envelope(String eventId, long time, String region, StandardEventDecoder decoder) {}

    /** The symptoms a health declaration may name, in their canonical order. */
    public static final java.util.List<String> SYMPTOMS = java.util.List.of(
            "fever",
            "cough",
            "sore_throat",
            "fatigue",
            "shortness_of_breath",
            "loss_of_smell_or_taste",
            "muscle_ache",
            "diarrhoea");

    /** The temperatures a health declaration may give, degrees Celsius. */
    public static final double MIN_TEMPERATURE = 34.0;

    public static final double MAX_TEMPERATURE = 43.0;

    /** The reader of {@code type}'s body. */
    static BodyReader of(EventType type) {
        return switch (type) {
            case TEST_RESULT -> EventBodies::testResult;
            case DIAGNOSIS -> EventBodies::diagnosis;
            case FEVER_CLINIC_VISIT -> EventBodies::feverClinicVisit;
            case QUARANTINE -> EventBodies::quarantine;
            case VACCINATION -> EventBodies::vaccination;
            case IDENTITY -> EventBodies::identity;
            case CONTACT_DESIGNATION -> EventBodies::contactDesignation;
            case HOTEL_CHECKIN -> EventBodies::hotelCheckin;
            case BORDER_ENTRY -> EventBodies::borderEntry;
            case TRIP -> EventBodies::trip;
            case PING -> EventBodies::ping;
            case CITY_STAY -> EventBodies::cityStay;
            case SCAN -> EventBodies::scan;
            case RISK_AREA -> EventBodies::riskArea;
            case TEST_CAMPAIGN -> EventBodies::testCampaign;
            case OVERRIDE_REQUEST -> EventBodies::overrideRequest;
            case OVERRIDE_APPROVAL -> EventBodies::overrideApproval;
            case OVERRIDE_REFUSAL -> EventBodies::overrideRefusal;
            case OVERRIDE_WITHDRAWAL -> EventBodies::overrideWithdrawal;
            case RISK_PERSON -> EventBodies::riskPerson;
            case HEALTH_DECLARATION -> EventBodies::healthDeclaration;
            case ITINERARY_DECLARATION -> EventBodies::itineraryDeclaration;
        };
    }

    static void testResult(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .method(f.requiredEnum("method", "pcr", "antigen"))
                .positive(f.requiredEnum("result", "positive", "negative").equals("positive"))
                .tubeId(f.optionalText("tubeId"))
                .pooled(f.optionalBool("pooled", false));
    }

    static void diagnosis(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .diagnosis(DiagnosisStatus.fromWire(f.requiredEnum(
                                "status", "confirmed", "asymptomatic", "suspected", "discharged", "cleared"))
                        .orElseThrow())
                .onset(f.optionalDate("onset"));
    }

    static void feverClinicVisit(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f)).clinicId(f.requiredText("clinicId", "the clinic's id"));
    }

    static void quarantine(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .action(f.requiredEnum("action", "start", "end"))
                .kind(f.requiredEnum("kind", "central", "home"));
    }

    static void vaccination(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f)).dose(f.requiredInt("dose", 1, 20, "the dose number, 1 and up"));
    }

    static void identity(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f)).msisdn(e.decoder().phone(f)).areaCode(f.requiredArea("areaCode"));
        String idNumber = f.optionalSensitiveText("idNumber");
        if (idNumber != null) {
            String nationalId = e.decoder().nationalIdOrNull(idNumber); // valid: person(f) checked it
            if (nationalId != null) {
                b.nationalId(nationalId);
            }
        }
    }

    static void contactDesignation(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .degree(f.requiredInt("degree", 1, 2, "1 or 2"))
                .exposure(
                        f.requiredTime("exposure", "contact_designation needs the last exposure, ISO-8601 with offset"))
                .caseId(f.optionalText("caseId"));
    }

    static void hotelCheckin(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .hotelId(f.requiredText("hotelId", "the hotel's id"))
                .areaCode(f.requiredArea("areaCode"));
        Long checkOut = f.optionalTime("checkOut");
        if (checkOut != null && checkOut < e.time()) {
            throw Problem.invalid("checkOut", "is before the check-in time");
        }
        b.checkOut(checkOut);
    }

    static void borderEntry(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f)).port(f.requiredText("port", "the port of entry"));
        String country = f.requiredText("fromCountry", "an ISO 3166 alpha-2 country code");
        if (!country.matches("[A-Z]{2}")) {
            throw Problem.invalid("fromCountry", Problem.quote(country) + " is not an ISO 3166 alpha-2 code");
        }
        b.fromCountry(country);
    }

    static void trip(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        String mode = f.requiredEnum("mode", "flight", "train", "bus", "ship");
        b.personId(e.decoder().person(f))
                .mode(mode)
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

    static void ping(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.msisdn(e.decoder().phone(f))
                .lat(f.requiredDouble("lat", -90, 90, "the latitude, WGS 84 degrees"))
                .lon(f.requiredDouble("lon", -180, 180, "the longitude, WGS 84 degrees"));
    }

    static void cityStay(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.msisdn(e.decoder().phone(f)).areaCode(f.requiredArea("areaCode"));
        interval(f, b, true);
    }

    static void scan(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .venueId(f.requiredText("venueId", "the venue's id"))
                .areaCode(f.requiredArea("areaCode"))
                .direction(orDefault(f.optionalEnum("direction", "in", "out"), "in"));
    }

    static void riskArea(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.areaCode(f.requiredArea("areaCode")).level(f.requiredEnum("level", "high", "medium", "low"));
        interval(f, b, false);
    }

    static void testCampaign(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.areaCode(f.requiredArea("areaCode"));
        interval(f, b, true);
        b.intervalHours(f.requiredInt("intervalHours", 1, 24 * 365, "the testing interval in hours"));
    }

    static void overrideRequest(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.personId(e.decoder().person(f))
                .requestId(requestId(f))
                .colour(f.requiredEnum("colour", "green", "yellow", "red"));
        String basis = f.requiredText("basis", "a written basis: no override without one");
        if (basis.isBlank()) {
            throw Problem.missing("basis", "a written basis: no override without one");
        }
        long expiry = f.requiredTime("expiry", "an override needs an expiry, ISO-8601 with offset");
        if (expiry <= e.time()) {
            throw Problem.invalid("expiry", "is not after the request's time");
        }
        b.basis(basis).expiry(expiry).operator(operator(f, "requester"));
    }

    static void overrideApproval(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.requestId(requestId(f)).operator(operator(f, "approver"));
    }

    static void overrideRefusal(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.requestId(requestId(f))
                .operator(operator(f, "operator"))
                .reason(f.requiredText("reason", "why the request is refused"));
    }

    static void overrideWithdrawal(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        b.requestId(requestId(f)).operator(operator(f, "operator"));
    }

    /** interop/risk_person: what another region (the event's {@code region}) may tell about a person, nothing more. */
    static void riskPerson(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        if (e.region() == null) {
            throw Problem.missing("region", "risk_person needs the issuing region, a six-digit GB/T 2260 code");
        }
        String nationalId = f.requiredText("nationalId", "the person's national pseudonym");
        if (!PersonIds.isValid(nationalId)) {
            throw Problem.invalid("nationalId", Problem.quote(nationalId) + " is not 1-64 characters of [A-Za-z0-9_-]");
        }
        String colour = f.requiredEnum("colour", "red", "yellow", "green");
        String category = f.requiredEnum("reasonCategory", "infection", "contact", "risk_area", "other");
        long since = f.requiredTime("since", "since when the person has had the colour, ISO-8601 with offset");
        Long expiry = colour.equals("green")
                ? f.optionalTime("expiry")
                : Long.valueOf(f.requiredTime("expiry", "when a red or yellow record lapses, ISO-8601 with offset"));
        if (expiry != null && expiry <= since) {
            throw Problem.invalid("expiry", "is not after 'since'");
        }
        b.nationalId(nationalId)
                .colour(colour)
                .reasonCategory(category)
                .from(since)
                .expiry(expiry);
    }

    /**
     * declarations/health_declaration: symptoms from {@link #SYMPTOMS}, each once (kept in that order), and an
     * optional temperature; the event id is the one {@link DeclarationIds#health} derives.
     */
    static void healthDeclaration(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        String person = e.decoder().person(f);
        String declarationId = declarationId(f);
        expectEventId(e, DeclarationIds.health(person, declarationId));
        java.util.List<String> given = f.optionalTextList("symptoms", SYMPTOMS.size());
        StringBuilder symptoms = new StringBuilder();
        for (String s : SYMPTOMS) {
            int n = java.util.Collections.frequency(given, s);
            if (n > 1) {
                throw Problem.invalid("symptoms", Problem.quote(s) + " is given more than once");
            }
            if (n == 1) {
                symptoms.append(symptoms.length() == 0 ? "" : ",").append(s);
            }
        }
        for (String s : given) {
            if (!SYMPTOMS.contains(s)) {
                throw Problem.invalid("symptoms", Problem.quote(s) + " is not one of " + String.join("|", SYMPTOMS));
            }
        }
        b.personId(person)
                .symptoms(symptoms.toString())
                .temperature(f.optionalDouble("temperature", MIN_TEMPERATURE, MAX_TEMPERATURE));
    }

    /**
     * declarations/itinerary_declaration: one area passed through, from and to (not after the declaration's time:
     * a person declares where they have been); the event id is the one {@link DeclarationIds#itinerary} derives.
     */
    static void itineraryDeclaration(FieldReader f, Event.Builder b, Envelope e) throws Problem {
        String person = e.decoder().person(f);
        String declarationId = declarationId(f);
        Integer stop = f.optionalInt("stop", 0, DeclarationIds.MAX_STOPS - 1);
        expectEventId(e, DeclarationIds.itinerary(person, declarationId, stop == null ? 0 : stop));
        b.personId(person).areaCode(f.requiredArea("areaCode"));
        long from = f.requiredTime("from", "when the person arrived, ISO-8601 with offset");
        long to = f.requiredTime("to", "when the person left, ISO-8601 with offset");
        if (to < from) {
            throw Problem.invalid("to", "is before 'from'");
        }
        if (to > e.time()) {
            throw Problem.invalid("to", "is after the declaration's time: declare where you have been");
        }
        b.from(from).to(to);
    }

    private static String declarationId(FieldReader f) throws Problem {
        String id = f.requiredText("declarationId", "the app's id of the declaration");
        if (!DeclarationIds.DECLARATION_ID.matcher(id).matches()) {
            throw Problem.invalid("declarationId", Problem.quote(id) + " is not 1-40 characters of [A-Za-z0-9_-]");
        }
        return id;
    }

    private static void expectEventId(Envelope e, String derived) throws Problem {
        if (!e.eventId().equals(derived)) {
            throw Problem.invalid(
                    "eventId",
                    "a declaration's event id is derived from its person and declarationId: " + Problem.quote(derived));
        }
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

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }

    private static void interval(FieldReader f, Event.Builder b, boolean toRequired) throws Problem {
        long from = f.requiredTime("from", "the start, ISO-8601 with offset");
        Long to =
                toRequired ? Long.valueOf(f.requiredTime("to", "the end, ISO-8601 with offset")) : f.optionalTime("to");
        if (to != null && to < from) {
            throw Problem.invalid("to", "is before 'from'");
        }
        b.from(from).to(to);
    }
}
