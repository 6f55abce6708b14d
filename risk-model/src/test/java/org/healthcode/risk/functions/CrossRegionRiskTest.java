package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.CrossRegionFixtures.GUANGDONG;
import static org.healthcode.risk.testing.CrossRegionFixtures.ZHEJIANG;
import static org.healthcode.risk.testing.CrossRegionFixtures.nationalIdentity;
import static org.healthcode.risk.testing.CrossRegionFixtures.riskPersonFor;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.rules.RuleSetJson;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.Test;

/**
 * Risk persons pushed by other regions (区域协查): condition {@code cross_region_risk} in the record's colour, until
 * its expiry or a withdrawal; records of several regions and this region's own conditions: the most severe wins.
 */
class CrossRegionRiskTest {
    private static final Instant SINCE_IN_GUANGDONG = plusDays(MONDAY_9AM, -3);
    private static final Instant RECEIVED = plusHours(MONDAY_9AM, 2);
    private static final Instant EXPIRY = plusDays(MONDAY_9AM, 4);

    @Test
    void aRedRecordFromAnotherRegionTurnsThePersonRedUntilItsExpiryWithoutThatRegionsReasons() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, RECEIVED));
            h.advanceTo(plusDays(MONDAY_9AM, 5));
            assertThat(h.colourAt(ALICE, plusHours(RECEIVED, -1))).isEqualTo("green");
            assertThat(h.colourAt(ALICE, RECEIVED)).isEqualTo("red");
            ConditionView c = h.statusesOf(ALICE).get(0).conditions().get(0);
            assertThat(c.reason()).isEqualTo("cross_region_risk");
            assertThat(c.colour()).isEqualTo("red");
            assertThat(c.startMs()).isEqualTo(RECEIVED.toEpochMilli());
            assertThat(c.phaseEndMs()).isEqualTo(EXPIRY.toEpochMilli());
            assertThat(c.cause()).singleElement().asString().startsWith("xr-");
            // the record reached this person by their national pseudonym: the status names them by it too
            assertThat(h.statusesOf(ALICE).get(0).nationalId()).isEqualTo("nat-alice");
            assertThat(c.endsWith()).contains("region " + GUANGDONG, "infection", EXPIRY.toString());
            // tests here do not end it; its expiry does
            assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 3))).isEqualTo("red");
            assertThat(h.colourAt(ALICE, EXPIRY)).isEqualTo("green");
            assertThat(h.latest(ALICE).conditions()).isEmpty();
            // the inputs of the last allowed lateness (48 h) stay in the person's history until then
            h.advanceTo(plusDays(EXPIRY, 3));
            assertThat(h.stateEntries()).isEqualTo(1); // the sequence number only
        }
    }

    @Test
    void negativeTestsHereDoNotEndIt() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, RECEIVED))
                    .send(negativePcr(ALICE, plusDays(MONDAY_9AM, 1)), negativePcr(ALICE, plusDays(MONDAY_9AM, 2)));
            h.advanceTo(plusDays(MONDAY_9AM, 3));
            assertThat(h.latest(ALICE).colour()).isEqualTo("red");
        }
    }

    @Test
    void aWithdrawalByTheIssuingRegionEndsItAtOnce() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            Instant withdrawn = plusDays(MONDAY_9AM, 1);
            h.send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, RECEIVED))
                    .send(riskPersonFor(ALICE, GUANGDONG, "green", withdrawn, null, withdrawn));
            h.advanceTo(plusDays(MONDAY_9AM, 2));
            assertThat(h.colourAt(ALICE, plusHours(withdrawn, -1))).isEqualTo("red");
            assertThat(h.colourAt(ALICE, withdrawn)).isEqualTo("green");
            h.advanceTo(EXPIRY); // the old expiry fires once and does nothing
            // the inputs of the last allowed lateness (48 h) stay in the person's history until then
            h.advanceTo(plusDays(EXPIRY, 3));
            assertThat(h.timers()).isZero();
            assertThat(h.statusesOf(ALICE)).hasSize(2);
            assertThat(h.statusesOf(ALICE)).hasSize(2);
            assertThat(h.timers()).isZero();
        }
    }

    @Test
    void theMostSevereColourWinsAcrossRegionsAndOwnConditions() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            Instant zjExpiry = plusDays(MONDAY_9AM, 10);
            h.send(riskPersonFor(ALICE, ZHEJIANG, "yellow", SINCE_IN_GUANGDONG, zjExpiry, RECEIVED))
                    .send(feverClinicVisit(ALICE, plusHours(RECEIVED, 1)))
                    .send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, plusHours(RECEIVED, 2)));
            h.advanceTo(plusDays(MONDAY_9AM, 6));
            assertThat(h.colourAt(ALICE, RECEIVED)).isEqualTo("yellow");
            assertThat(h.colourAt(ALICE, plusHours(RECEIVED, 2))).isEqualTo("red");
            StatusChange red = h.statusesOf(ALICE).stream()
                    .filter(s -> s.colour().equals("red"))
                    .findFirst()
                    .orElseThrow();
            assertThat(red.conditions())
                    .extracting(ConditionView::reason, ConditionView::colour)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("cross_region_risk", "red"),
                            org.assertj.core.groups.Tuple.tuple("cross_region_risk", "yellow"),
                            org.assertj.core.groups.Tuple.tuple("fever_clinic", "yellow"));
            // Guangdong's record lapses: Zhejiang's yellow (and the clinic visit) remain
            assertThat(h.colourAt(ALICE, EXPIRY)).isEqualTo("yellow");
        }
    }

    @Test
    void aLaterRecordOfTheSameRegionReplacesItsEarlierOne() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            Instant downgraded = plusDays(MONDAY_9AM, 1);
            h.send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, RECEIVED))
                    .send(riskPersonFor(ALICE, GUANGDONG, "yellow", downgraded, plusDays(MONDAY_9AM, 8), downgraded));
            h.advanceTo(plusDays(MONDAY_9AM, 5));
            assertThat(h.colourAt(ALICE, downgraded)).isEqualTo("yellow");
            assertThat(h.latest(ALICE).conditions()).singleElement().satisfies(c -> {
                assertThat(c.colour()).isEqualTo("yellow");
                assertThat(c.cause()).hasSize(2);
            });
        }
    }

    @Test
    void theRuleSetCapsTheColourAndHowLongAForeignRecordHolds() throws Exception {
        String json = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace(
                        "\"cross_region_risk\":  {\"phases\": [{\"colour\": \"red\", \"hours\": 336}]",
                        "\"cross_region_risk\":  {\"phases\": [{\"colour\": \"yellow\", \"hours\": 24}]");
        try (PersonRiskHarness h = new PersonRiskHarness(RuleSetJson.parse(json.getBytes(StandardCharsets.UTF_8)))) {
            h.send(riskPersonFor(ALICE, GUANGDONG, "red", SINCE_IN_GUANGDONG, EXPIRY, RECEIVED));
            h.advanceTo(plusDays(MONDAY_9AM, 5));
            assertThat(h.colourAt(ALICE, RECEIVED)).isEqualTo("yellow");
            assertThat(h.colourAt(ALICE, plusHours(RECEIVED, 24))).isEqualTo("green");
        }
    }

    @Test
    void statusesCarryTheNationalPseudonymOfTheIdentityBindingEvenWhenItComesLater() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(positivePcr(ALICE, MONDAY_9AM));
            h.advanceTo(plusHours(MONDAY_9AM, 1));
            assertThat(h.latest(ALICE).nationalId()).isNull();
            h.send(nationalIdentity(ALICE, "nat-alice", "440106", plusHours(MONDAY_9AM, 2)));
            h.advanceTo(plusHours(MONDAY_9AM, 3));
            StatusChange named = h.latest(ALICE);
            assertThat(named.seq()).isEqualTo(2);
            assertThat(named.colour()).isEqualTo("red");
            assertThat(named.sinceMs()).isEqualTo(MONDAY_9AM.toEpochMilli());
            assertThat(named.nationalId()).isEqualTo("nat-alice");
            // later statuses keep it
            h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 1)), negativePcr(ALICE, plusDays(MONDAY_9AM, 2)));
            h.advanceTo(plusDays(MONDAY_9AM, 3));
            assertThat(h.latest(ALICE).colour()).isEqualTo("green");
            assertThat(h.latest(ALICE).nationalId()).isEqualTo("nat-alice");
        }
    }

    @Test
    void aBindingBeforeAnyConditionIsKeptForTheFirstStatus() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(nationalIdentity(ALICE, "nat-alice", "440106", MONDAY_9AM));
            h.advanceTo(plusHours(MONDAY_9AM, 1));
            assertThat(h.statuses()).isEmpty();
            assertThat(h.stateEntries()).isEqualTo(2); // the national pseudonym, and the binding in the history
            h.send(positivePcr(ALICE, plusDays(MONDAY_9AM, 1)));
            h.advanceTo(plusDays(MONDAY_9AM, 2));
            assertThat(h.latest(ALICE).nationalId()).isEqualTo("nat-alice");
            assertThat(h.latest(ALICE).seq()).isEqualTo(1);
        }
    }
}
