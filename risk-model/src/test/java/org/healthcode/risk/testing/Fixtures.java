package org.healthcode.risk.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.contacts.ExposureKind;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.OverrideTerms;

/** Domain fixtures: named persons and instants, and factory methods for the events of DESIGN §5. */
public final class Fixtures {
    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    public static final String REGION = "440106";

    /** Monday 4 April 2022, 09:00 in China (UTC+8). */
    public static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");

    private Fixtures() {}

    public static Instant plusDays(Instant t, long days) {
        return t.plus(Duration.ofDays(days));
    }

    public static Instant plusHours(Instant t, long hours) {
        return t.plus(Duration.ofHours(hours));
    }

    public static Event positivePcr(String person, Instant sampled) {
        return test(person, sampled, true, false);
    }

    public static Event negativePcr(String person, Instant sampled) {
        return test(person, sampled, false, false);
    }

    public static Event positivePooled(String person, Instant sampled) {
        return test(person, sampled, true, true);
    }

    public static Event test(String person, Instant sampled, boolean positive, boolean pooled) {
        return Event.builder(
                        id("test" + (positive ? "+" : "-") + (pooled ? "pooled" : ""), person, sampled),
                        EventType.TEST_RESULT,
                        sampled.toEpochMilli(),
                        REGION)
                .personId(person)
                .method("pcr")
                .positive(positive)
                .pooled(pooled)
                .build();
    }

    public static Event diagnosis(String person, DiagnosisStatus status, Instant at) {
        return Event.builder(
                        id("diagnosis-" + status.wireName(), person, at),
                        EventType.DIAGNOSIS,
                        at.toEpochMilli(),
                        REGION)
                .personId(person)
                .diagnosis(status)
                .build();
    }

    public static Event confirmed(String person, Instant at) {
        return diagnosis(person, DiagnosisStatus.CONFIRMED, at);
    }

    public static Event discharged(String person, Instant at) {
        return diagnosis(person, DiagnosisStatus.DISCHARGED, at);
    }

    public static Event feverClinicVisit(String person, Instant at) {
        return Event.builder(id("fever", person, at), EventType.FEVER_CLINIC_VISIT, at.toEpochMilli(), REGION)
                .personId(person)
                .clinicId("clinic-7")
                .build();
    }

    /** The person's own health declaration (symptoms comma-separated, temperature null when not measured). */
    public static Event healthDeclaration(
            String person, String declarationId, Instant at, String symptoms, Double temperature) {
        return Event.builder(
                        DeclarationIds.health(person, declarationId),
                        EventType.HEALTH_DECLARATION,
                        at.toEpochMilli(),
                        REGION)
                .personId(person)
                .symptoms(symptoms)
                .temperature(temperature)
                .build();
    }

    /** Stop 0 of the person's own itinerary declaration: they passed through {@code areaCode} from..to. */
    public static Event itineraryDeclaration(
            String person, String declarationId, String areaCode, Instant from, Instant to, Instant at) {
        return Event.builder(
                        DeclarationIds.itinerary(person, declarationId, 0),
                        EventType.ITINERARY_DECLARATION,
                        at.toEpochMilli(),
                        REGION)
                .personId(person)
                .areaCode(areaCode)
                .from(from.toEpochMilli())
                .to(to.toEpochMilli())
                .build();
    }

    /** A degree-1 designation made at {@code designatedAt} for an exposure at {@code exposure}. */
    public static Event closeContact(String person, Instant exposure, Instant designatedAt) {
        return designation(person, 1, exposure, designatedAt);
    }

    public static Event designation(String person, int degree, Instant exposure, Instant designatedAt) {
        return Event.builder(
                        id("contact" + degree, person, designatedAt),
                        EventType.CONTACT_DESIGNATION,
                        designatedAt.toEpochMilli(),
                        REGION)
                .personId(person)
                .degree(degree)
                .exposure(exposure.toEpochMilli())
                .caseId("case-1")
                .build();
    }

    public static Event borderEntry(String person, Instant at) {
        return Event.builder(id("border", person, at), EventType.BORDER_ENTRY, at.toEpochMilli(), REGION)
                .personId(person)
                .port("SZX-BAY")
                .fromCountry("HK")
                .build();
    }

    /** A companion exposure of {@code person} to {@code caseId}'s phone, found when the case was found. */
    public static Exposure companion(
            String person, String caseId, Instant sharedFrom, Instant sharedTo, Instant caseFound) {
        return Exposure.of(
                person,
                caseId,
                ExposureKind.COMPANION,
                sharedFrom.toEpochMilli(),
                sharedTo.toEpochMilli(),
                "cell:3:4",
                45,
                caseFound.toEpochMilli(),
                List.of("found:" + caseId, "ping:" + person));
    }

    /** A close same-vehicle exposure: the shared ride ends at {@code arrival}. */
    public static Exposure sameFlightNearRow(
            String person, String caseId, Instant departure, Instant arrival, Instant caseFound) {
        return Exposure.of(
                person,
                caseId,
                ExposureKind.SAME_VEHICLE_CLOSE,
                departure.toEpochMilli(),
                arrival.toEpochMilli(),
                "CZ3101@2022-04-01",
                180,
                caseFound.toEpochMilli(),
                List.of("found:" + caseId, "trip:" + person));
    }

    public static Event suspected(String person, Instant at) {
        return diagnosis(person, DiagnosisStatus.SUSPECTED, at);
    }

    public static Event hotelCheckin(String person, String areaCode, Instant in, Instant out) {
        return Event.builder(id("hotel", person, in), EventType.HOTEL_CHECKIN, in.toEpochMilli(), REGION)
                .personId(person)
                .hotelId("H-" + areaCode)
                .areaCode(areaCode)
                .checkOut(out.toEpochMilli())
                .build();
    }

    /** A risk-area listing published at {@code published}, valid from {@code from} to {@code to} (null = open). */
    public static Event riskArea(String areaCode, String level, Instant from, Instant to, Instant published) {
        return Event.builder(
                        id("area-" + level, areaCode, published), EventType.RISK_AREA, published.toEpochMilli(), REGION)
                .areaCode(areaCode)
                .level(level)
                .from(from.toEpochMilli())
                .to(to == null ? null : to.toEpochMilli())
                .build();
    }

    /** The real-name binding of {@code person} to a phone and a household area, made at {@code at}. */
    public static Event identity(String person, String phone, String areaCode, Instant at) {
        return Event.builder(id("identity-" + areaCode, person, at), EventType.IDENTITY, at.toEpochMilli(), REGION)
                .personId(person)
                .msisdn(phone)
                .areaCode(areaCode)
                .build();
    }

    /** Mandatory testing for {@code areaCode} from {@code from} to {@code to}, once every {@code intervalHours}. */
    public static Event testCampaign(String areaCode, Instant from, Instant to, int intervalHours, Instant published) {
        return Event.builder(id("campaign", areaCode, from), EventType.TEST_CAMPAIGN, published.toEpochMilli(), REGION)
                .areaCode(areaCode)
                .from(from.toEpochMilli())
                .to(to.toEpochMilli())
                .intervalHours(intervalHours)
                .build();
    }

    /** A carrier's city stay of {@code phone} in {@code areaCode}, reported at its end. */
    public static Event cityStay(String phone, String areaCode, Instant from, Instant to) {
        return Event.builder(id("city-stay-" + areaCode, phone, from), EventType.CITY_STAY, to.toEpochMilli(), REGION)
                .msisdn(phone)
                .areaCode(areaCode)
                .from(from.toEpochMilli())
                .to(to.toEpochMilli())
                .build();
    }

    public static final String OPERATOR_CHEN = "op-chen";
    public static final String OPERATOR_LI = "op-li";

    /** An override request by {@code requester} for {@code person}'s colour, with a basis, expiring at {@code expiry}. */
    public static Event overrideRequest(
            String requestId, String person, String colour, String requester, Instant at, Instant expiry) {
        return Event.builder("req-" + requestId, EventType.OVERRIDE_REQUEST, at.toEpochMilli(), REGION)
                .personId(person)
                .requestId(requestId)
                .colour(colour)
                .basis("appeal: lab letter 2022-118, tube mislabelled")
                .expiry(expiry.toEpochMilli())
                .operator(requester)
                .build();
    }

    public static Event overrideApproval(String requestId, String approver, Instant at) {
        return Event.builder(
                        "appr-" + requestId + "-" + approver + "@" + at,
                        EventType.OVERRIDE_APPROVAL,
                        at.toEpochMilli(),
                        REGION)
                .requestId(requestId)
                .operator(approver)
                .build();
    }

    public static Event overrideRefusal(String requestId, String operator, Instant at) {
        return Event.builder("ref-" + requestId + "@" + at, EventType.OVERRIDE_REFUSAL, at.toEpochMilli(), REGION)
                .requestId(requestId)
                .operator(operator)
                .reason("no lab letter attached")
                .build();
    }

    public static Event overrideWithdrawal(String requestId, String operator, Instant at) {
        return Event.builder("wd-" + requestId + "@" + at, EventType.OVERRIDE_WITHDRAWAL, at.toEpochMilli(), REGION)
                .requestId(requestId)
                .operator(operator)
                .build();
    }

    /** An approved override as the review hands it to the person: in force from {@code approvedAt}. */
    public static OverrideDecision approvedOverride(
            String requestId, String person, String colour, Instant approvedAt, Instant expiry) {
        return new OverrideDecision(
                "override-appr-" + requestId,
                person,
                true,
                approvedAt.toEpochMilli(),
                new OverrideTerms(requestId, colour, expiry.toEpochMilli(), OPERATOR_CHEN, OPERATOR_LI),
                "req-" + requestId,
                "appr-" + requestId);
    }

    /** The withdrawal of an approved override at {@code at}. */
    public static OverrideDecision withdrawnOverride(OverrideDecision approved, Instant at) {
        return new OverrideDecision(
                "override-wd-" + approved.terms().requestId(),
                approved.personId(),
                false,
                at.toEpochMilli(),
                approved.terms(),
                approved.requestEventId(),
                "wd-" + approved.terms().requestId());
    }

    /** Readable, deterministic event ids, e.g. {@code test+:alice@2022-04-04T01:00:00Z}. */
    public static String id(String what, String person, Instant at) {
        return what + ":" + person + "@" + at;
    }
}
