package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.closeContact;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.plusDays;

import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules as broadcast data: a new version applies without a restart, an invalid one is refused and named. */
class RuleUpdatesTest {
    private PersonRiskHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new PersonRiskHarness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static byte[] defaultsWith(String version, String from, String to) {
        String json = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace("\"2022.1-default\"", "\"" + version + "\"")
                .replace(from, to);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withoutARuleSetMessageTheStartUpRuleSetDecides() throws Exception {
        h.send(feverClinicVisit(ALICE, MONDAY_9AM)).advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).ruleVersion()).isEqualTo("2022.1-default");
    }

    @Test
    void aNewRuleSetDecidesLaterStatusesAndTheirVersionIsRecorded() throws Exception {
        h.send(feverClinicVisit(ALICE, MONDAY_9AM)).advanceTo(plusDays(MONDAY_9AM, 1));
        // the 2022.2 rule set shortens a close contact's red phase from 7 to 5 days
        h.rules(
                defaultsWith(
                        "2022.2-short",
                        "{\"colour\": \"red\", \"hours\": 168}, {\"colour\": \"yellow\", \"hours\": 72}], \"exit\": {\"kind\": \"negative_test\"}},\n    \"contact_of_contact\"",
                        "{\"colour\": \"red\", \"hours\": 120}, {\"colour\": \"yellow\", \"hours\": 72}], \"exit\": {\"kind\": \"negative_test\"}},\n    \"contact_of_contact\""));
        h.send(closeContact(BOB, plusDays(MONDAY_9AM, 2), plusDays(MONDAY_9AM, 2)))
                .advanceTo(plusDays(MONDAY_9AM, 9));
        assertThat(h.statusesOf(BOB).get(0).ruleVersion()).isEqualTo("2022.2-short");
        assertThat(h.colourAt(BOB, plusDays(MONDAY_9AM, 7))).isEqualTo("yellow");
        assertThat(h.rejected()).isEmpty();
    }

    @Test
    void anInvalidRuleSetIsRejectedNamingTheFieldAndThePreviousOneStays() throws Exception {
        h.rules(defaultsWith("2022.3-broken", "\"allowedLatenessHours\": 48", "\"allowedLatenessHours\": \"soon\""));
        h.send(feverClinicVisit(ALICE, MONDAY_9AM)).advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).ruleVersion()).isEqualTo("2022.1-default");
        assertThat(h.rejected()).singleElement().satisfies((Rejected r) -> {
            assertThat(r.category()).isEqualTo("invalid");
            assertThat(r.field()).isEqualTo("allowedLatenessHours");
            assertThat(r.reason()).contains("previous one stays in force");
        });
    }
}
