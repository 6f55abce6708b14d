package org.healthcode.risk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.healthcode.risk.contacts.ContactRules;
import org.junit.jupiter.api.Test;

/** The rule-set file: the shipped defaults are DESIGN §3's, and every invalid field is named. */
class RuleSetJsonTest {

    @Test
    void defaultsAreTheDesignTable() {
        RuleSet r = RuleSet.defaults();
        assertThat(r.version()).isEqualTo("2022.1-default");
        assertThat(r.rule(ReasonCode.CLOSE_CONTACT).phases())
                .containsExactly(new Phase(Colour.RED, 168), new Phase(Colour.YELLOW, 72));
        assertThat(r.rule(ReasonCode.CONFIRMED).holdColour()).isEqualTo(Colour.RED);
        assertThat(r.rule(ReasonCode.CONFIRMED).phases())
                .containsExactly(new Phase(Colour.RED, 336), new Phase(Colour.YELLOW, 336));
        assertThat(r.rule(ReasonCode.POSITIVE_TEST).exit())
                .isEqualTo(new ExitRequirement(ExitKind.TWO_NEGATIVE_TESTS, 24, 0));
        assertThat(r.rule(ReasonCode.FEVER_CLINIC).exit().kind()).isEqualTo(ExitKind.NEGATIVE_TEST);
        assertThat(r.conditions()).hasSize(ReasonCode.values().length - 1);
        assertThat(r.contacts()).isEqualTo(ContactRules.defaults());
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        String json = """
                {"allowedLatenessHours": -1,
                 "conditions": {
                   "close_contact": {"phases": [{"colour": "purple", "hours": 168}], "exit": {"kind": "a_prayer"}},
                   "fever_clinic": {"phases": [], "exit": {"kind": "negative_test"}},
                   "not_a_reason": {}
                 }}""";
        assertThatThrownBy(() -> RuleSetJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .satisfies(e -> assertThat(((InvalidRuleSetException) e).problems())
                        .contains(
                                "version: missing (a non-empty string)",
                                "allowedLatenessHours: must be a whole number of hours >= 0",
                                "conditions.close_contact.phases[0].colour: must be green, yellow or red",
                                "conditions.fever_clinic.phases: missing (a non-empty array of {colour, hours})",
                                "conditions.not_a_reason: unknown reason code",
                                "conditions.confirmed: missing",
                                "contacts: missing (an object with the contact-detection parameters)"))
                .hasMessageContaining("conditions.close_contact.exit.kind");
    }

    @Test
    void contactParametersAreCheckedToo() {
        String json = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace("\"longStayClause\": \"and\"", "\"longStayClause\": \"maybe\"")
                .replace("\"cellSizeMeters\": 800", "\"cellSizeMeters\": 1");
        assertThatThrownBy(() -> RuleSetJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining("contacts.longStayClause: must be and, or or off");
        String small = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace("\"cellSizeMeters\": 800", "\"cellSizeMeters\": 1");
        assertThatThrownBy(() -> RuleSetJson.parse(small.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("contacts.cellSizeMeters");
    }

    @Test
    void notJsonIsRejected() {
        assertThatThrownBy(() -> RuleSetJson.parse("{version:".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining("not JSON");
    }
}
