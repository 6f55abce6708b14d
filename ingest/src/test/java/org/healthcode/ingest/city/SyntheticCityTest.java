package org.healthcode.ingest.city;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.healthcode.ingest.testing.IngestFixtures;
import org.healthcode.ingest.wire.EventLines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticCityTest {
    private static final CityConfig SMALL = CityConfig.of(1000, 2, 42);
    private static final long DAY = 24 * 3600_000L;
    private static final StandardEventDecoder DECODER = IngestFixtures.decoder();
    private static final Pseudonymiser PSEUDONYMS = IngestFixtures.pseudonymiser();

    private static SyntheticCity city;
    private static List<org.healthcode.ingest.proto.Event> events;

    @BeforeAll
    static void runSmallCity() throws Exception {
        city = new SyntheticCity(SMALL);
        Collecting sink = new Collecting();
        city.run(sink);
        events = sink.events;
    }

    @Test
    void sameSeedAndSizeGiveTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        byte[] a = jsonLines(CityConfig.of(300, 1, 7));
        byte[] b = jsonLines(CityConfig.of(300, 1, 7));
        byte[] c = jsonLines(CityConfig.of(300, 1, 8));
        assertThat(a.length).isGreaterThan(1_000_000);
        assertThat(sha256(b)).isEqualTo(sha256(a));
        assertThat(sha256(c)).isNotEqualTo(sha256(a));
    }

    @Test
    void eventsComeInEventTimeOrderWithinTheRunAndHaveUniqueIds() {
        long start = SMALL.start().toEpochMilli();
        long previous = Long.MIN_VALUE;
        Set<String> ids = new HashSet<>();
        for (var e : events) {
            long t = org.healthcode.contracts.wire.IsoTimes.parse(e.getTime());
            assertThat(t)
                    .isGreaterThanOrEqualTo(previous)
                    .isGreaterThanOrEqualTo(start)
                    .isLessThan(start + 2 * DAY);
            previous = t;
            assertThat(ids.add(e.getEventId()))
                    .as("duplicate id %s", e.getEventId())
                    .isTrue();
        }
    }

    @Test
    void everyPhonePingsAboutEvery30Minutes() {
        Map<String, Integer> perPhone = new HashMap<>();
        // the residents' phones; the planted outbreak's phones ping on their own script
        events.stream()
                .filter(e -> e.getType().equals("ping") && !e.getEventId().startsWith("plant-"))
                .forEach(e -> perPhone.merge(e.getMsisdn(), 1, Integer::sum));
        assertThat(perPhone).hasSize(1000);
        assertThat(perPhone.values()).allMatch(n -> n == 96);
        assertThat(events.stream().filter(e -> e.getType().equals("ping")))
                .allMatch(e -> Math.abs(e.getPing().getLat() - 23.1) < 0.6
                                && Math.abs(e.getPing().getLon() - 113.4) < 0.6
                        || e.getPing().getLat() > 22 && e.getPing().getLat() < 41); // day trips to other cities
    }

    @Test
    void infectionsStartInTheFirstHoursWithTheirPositiveTestDiagnosisAndContacts() {
        GroundTruth truth = city.groundTruth();
        assertThat(truth.cases()).hasSizeGreaterThanOrEqualTo(3);
        CaseRecord first = truth.firstCase();
        assertThat(first.positiveSample() - SMALL.start().toEpochMilli()).isLessThanOrEqualTo(2 * 3600_000L);
        for (CaseRecord c : truth.cases()) {
            String id = city.resident(c.person()).idNumber();
            assertThat(events)
                    .anyMatch(e -> e.getIdNumber().equals(id)
                            && e.getType().equals("test_result")
                            && e.getTestResult().getResult().equals("positive")
                            && !e.getTestResult().getPooled());
        }
        String firstId = city.resident(first.person()).idNumber();
        assertThat(events)
                .anyMatch(e -> e.getIdNumber().equals(firstId)
                        && e.getType().equals("diagnosis")
                        && e.getDiagnosis().getStatus().equals(first.diagnosis().wireName()));
        assertThat(truth.contacts()).anyMatch(c -> c.degree() == 1).anyMatch(c -> c.degree() == 2);
        ContactRecord contact = truth.contacts().stream()
                .filter(c -> c.caseNo() == first.caseNo())
                .findFirst()
                .orElseThrow();
        String contactId = city.resident(contact.person()).idNumber();
        assertThat(events)
                .anyMatch(e -> e.getIdNumber().equals(contactId)
                        && e.getType().equals("contact_designation")
                        && e.getContactDesignation().getDegree() == contact.degree()
                        && e.getContactDesignation().getCaseId().equals(first.caseId()));
        assertThat(events)
                .anyMatch(e -> e.getType().equals("test_result")
                        && e.getTestResult().getPooled()
                        && e.getTestResult().getResult().equals("positive"));
        assertThat(events).anyMatch(e -> e.getType().equals("fever_clinic_visit"));
    }

    @Test
    void plantsASmallOutbreakWithItsContactsAndNearMissesInTheGroundTruth() {
        GroundTruth truth = city.groundTruth();
        assertThat(truth.planted())
                .extracting(PlantedContact::expected)
                .containsExactlyInAnyOrder(
                        "companion",
                        "venue_co_visit",
                        "same_vehicle_close",
                        "same_vehicle_rest",
                        "none",
                        "none",
                        "none");
        int plantedCase = city.plantedCase();
        assertThat(plantedCase).isGreaterThanOrEqualTo(city.persons());
        String caseId = city.resident(plantedCase).idNumber();
        assertThat(events)
                .anyMatch(e -> e.getIdNumber().equals(caseId)
                        && e.getType().equals("test_result")
                        && e.getTestResult().getResult().equals("positive")
                        && !e.getTestResult().getPooled());
        for (PlantedContact c : truth.planted()) {
            assertThat(c.person()).isGreaterThan(plantedCase);
            String id = city.resident(c.person()).idNumber();
            String phone = "+86" + city.resident(c.person()).msisdn();
            assertThat(events)
                    .as(c.why())
                    .anyMatch(e -> e.getIdNumber().equals(id) && e.getType().equals("identity"));
            assertThat(events)
                    .as(c.why())
                    .anyMatch(e -> c.place() == null
                            ? e.getMsisdn().equals(phone) && e.getType().equals("ping")
                            : e.getIdNumber().equals(id)
                                    && (e.getType().equals("scan")
                                            || e.getType().equals("trip")));
        }
        // nobody else goes to the planted venue or flight
        assertThat(events)
                .filteredOn(e ->
                        e.getType().equals("scan") && e.getScan().getVenueId().equals(PlantedContacts.VENUE))
                .hasSize(3);
        assertThat(new SyntheticCity(SMALL.withPlantContacts(false))
                        .groundTruth()
                        .planted())
                .isEmpty();
        assertThat(new SyntheticCity(CityConfig.of(1000, 1, 42)).groundTruth().planted())
                .isEmpty();
    }

    @Test
    void casesStayInUntilFoundWhenContactsArePlanted() {
        long start = SMALL.start().toEpochMilli();
        for (CaseRecord c : city.groundTruth().cases()) {
            String id = city.resident(c.person()).idNumber();
            assertThat(events)
                    .filteredOn(e -> e.getIdNumber().equals(id)
                            && (e.getType().equals("scan") || e.getType().equals("trip")))
                    .isEmpty();
        }
        assertThat(city.groundTruth().cases()).allMatch(c -> c.positiveSample() - start < 30 * 3600_000L);
    }

    @Test
    void containsTheOtherFeedsToo() {
        Set<String> types = new HashSet<>();
        events.forEach(e -> types.add(e.getType()));
        assertThat(types)
                .contains(
                        "identity",
                        "ping",
                        "scan",
                        "trip",
                        "city_stay",
                        "test_result",
                        "diagnosis",
                        "contact_designation",
                        "quarantine",
                        "fever_clinic_visit");
        assertThat(events)
                .anyMatch(e -> e.getType().equals("trip")
                        && e.getTrip().getMode().equals("flight")
                        && e.getTrip().getRow() > 0);
        assertThat(events)
                .anyMatch(e -> e.getType().equals("trip")
                        && e.getTrip().getSealed()
                        && !e.getTrip().getCarriage().isEmpty());
    }

    @Test
    void everyEventDecodesTheSameFromJsonAndProtobufAndNoRawIdentifierSurvives() throws Exception {
        Set<String> raw = new HashSet<>();
        for (int i = 0; i < city.persons(); i++) {
            raw.add(city.resident(i).idNumber());
            raw.add(city.resident(i).msisdn());
        }
        int n = 0;
        Set<EventType> seen = new HashSet<>();
        for (var e : events) {
            Decoded fromJson = DECODER.decodeJsonLine(EventLines.toBytes(e), ++n);
            Decoded fromProto = DECODER.decodeProto(e.toByteArray(), "t", 0, n);
            assertThat(fromJson.isOk())
                    .as("%s -> %s", EventLines.toLine(e), fromJson.rejected())
                    .isTrue();
            assertThat(fromProto.event()).isEqualTo(fromJson.event());
            seen.add(fromJson.event().type());
            if (n % 7 == 0 || e.getType().equals("identity") || !e.getType().equals("ping")) {
                assertNoRawIdentifier(fromJson.event(), raw);
            }
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(10);
        // the police binding and the carrier pings write the phone differently; both must meet on one pseudonym
        String phone = city.resident(0).msisdn();
        assertThat(events)
                .anyMatch(e -> e.getType().equals("ping") && e.getMsisdn().equals("+86" + phone));
        assertThat(events)
                .anyMatch(e -> e.getType().equals("identity") && e.getMsisdn().equals(phone));
        assertThat(PSEUDONYMS.phoneId("+86" + phone)).isEqualTo(PSEUDONYMS.phoneId(phone));
    }

    @Test
    void sprinkledBadRecordsAreRejectedAndTheRestStillDecodes() throws Exception {
        SyntheticCity bad = new SyntheticCity(CityConfig.of(200, 1, 3).withBadRate(0.01));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticCity.CityStats stats;
        try (JsonLinesSink sink = new JsonLinesSink(out, false)) {
            stats = bad.run(sink);
        }
        String[] lines = new String(out.toByteArray(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize((int) (stats.events() + stats.badRecords()));
        Map<String, Integer> categories = new HashMap<>();
        int ok = 0;
        for (int i = 0; i < lines.length; i++) {
            Decoded d = DECODER.decodeJsonLine(lines[i].getBytes(StandardCharsets.UTF_8), i + 1);
            if (d.isOk()) {
                ok++;
            } else {
                categories.merge(d.rejected().category(), 1, Integer::sum);
            }
        }
        assertThat(ok).isEqualTo(stats.events());
        assertThat(stats.badRecords()).isGreaterThan(20);
        assertThat(categories.keySet()).containsExactlyInAnyOrder("malformed", "missing", "invalid", "unknown_type");
    }

    private static void assertNoRawIdentifier(Event e, Set<String> raw) throws Exception {
        for (RecordComponent c : Event.class.getRecordComponents()) {
            Object v = c.getAccessor().invoke(e);
            if (v instanceof String s) {
                assertThat(raw).as("field %s of %s", c.getName(), e.eventId()).doesNotContain(s);
                assertThat(s).doesNotContain(city.resident(0).idNumber());
            }
        }
    }

    private static byte[] jsonLines(CityConfig config) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(out, false)) {
            new SyntheticCity(config).run(sink);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Keeps everything the city produced. */
    static final class Collecting implements CitySink {
        final List<org.healthcode.ingest.proto.Event> events = new ArrayList<>();

        @Override
        public void accept(Feed feed, org.healthcode.ingest.proto.Event event) {
            assertThat(event.getFeed()).isEqualTo(feed.wireName());
            events.add(event);
        }

        @Override
        public void acceptGarbage(Feed feed, String key) {
            throw new AssertionError("no bad records were asked for");
        }

        @Override
        public void close() {}
    }
}
