package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.healthDeclaration;
import static org.healthcode.risk.testing.Fixtures.itineraryDeclaration;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.riskArea;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sinks.StatusRecords;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's own declarations under the rules: a declared fever is yellow until a negative test (as a fever-clinic
 * visit), other symptoms change nothing, the rule set's fever threshold decides a temperature, a repeated
 * declaration is one cause, and a declared stop in a risk area is a stay like any other, marked declared.
 */
class DeclarationsTest {
    private PersonRiskHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new PersonRiskHarness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void aDeclaredFeverIsYellowUntilANegativeTestSampledAfterIt() throws Exception {
        h.send(
                        negativePcr(ALICE, plusHours(MONDAY_9AM, -2)),
                        healthDeclaration(ALICE, "d1", MONDAY_9AM, "fever,cough", 38.4))
                .advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
        ConditionView c = h.latest(ALICE).conditions().get(0);
        assertThat(c.reason()).isEqualTo("declared_fever");
        assertThat(c.cause()).containsExactly("decl/health/" + ALICE + "/d1");
        assertThat(StatusRecords.toProto(h.latest(ALICE)).getConditions(0).getDeclared())
                .isTrue();

        h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 1))).advanceTo(plusDays(MONDAY_9AM, 2));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 1))).isEqualTo("green");
    }

    @Test
    void symptomsWithoutFeverAndANormalTemperatureChangeNothing() throws Exception {
        h.send(healthDeclaration(ALICE, "d1", MONDAY_9AM, "cough,sore_throat", 36.8))
                .advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.statusesOf(ALICE)).allSatisfy(s -> assertThat(s.colour()).isEqualTo("green"));
    }

    @Test
    void aTemperatureAtTheRuleSetsFeverIsAFeverWithoutTheSymptom() throws Exception {
        h.send(healthDeclaration(ALICE, "d1", MONDAY_9AM, "", 37.3)).advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");

        String stricter = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace("\"allowedLatenessHours\"", "\"declaredFeverCelsius\": 38.0, \"allowedLatenessHours\"");
        try (PersonRiskHarness other = new PersonRiskHarness()) {
            other.rules(stricter.getBytes(StandardCharsets.UTF_8));
            other.send(healthDeclaration(ALICE, "d1", MONDAY_9AM, "", 37.3)).advanceTo(plusDays(MONDAY_9AM, 1));
            assertThat(other.statusesOf(ALICE))
                    .allSatisfy(s -> assertThat(s.colour()).isEqualTo("green"));
        }
    }

    @Test
    void aDeclarationSentTwiceIsOneCause() throws Exception {
        Event d = healthDeclaration(ALICE, "d1", MONDAY_9AM, "fever", null);
        h.send(d, d).advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).conditions().get(0).cause()).containsExactly(d.eventId());
    }

    @Test
    void aDeclaredStopInAHighRiskAreaIsAStayMarkedDeclared() throws Exception {
        Event listed = riskArea("440111", "high", plusDays(MONDAY_9AM, -3), null, plusDays(MONDAY_9AM, -3));
        Event declared = itineraryDeclaration(
                ALICE, "it1", "440111", plusDays(MONDAY_9AM, -2), plusDays(MONDAY_9AM, -1), MONDAY_9AM);
        try (var matcher = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RiskAreaMatcher(), Event::personId, Types.STRING, RiskAreaMatcher.LISTINGS)) {
            matcher.processBroadcastElement(listed, listed.time());
            matcher.processElement(declared, declared.time());
            List<AreaStay> found = matcher.extractOutputValues().stream()
                    .map(PersonInput::areaStay)
                    .toList();
            assertThat(found).singleElement().satisfies(a -> {
                assertThat(a.level()).isEqualTo("high");
                assertThat(a.stayEventId()).isEqualTo(declared.eventId());
                assertThat(a.stayEndMs()).isEqualTo(declared.to());
            });
            h.send(found.get(0)).advanceTo(plusDays(MONDAY_9AM, 1));
        }
        assertThat(h.latest(ALICE).colour()).isEqualTo("red");
        var condition = StatusRecords.toProto(h.latest(ALICE)).getConditions(0);
        assertThat(condition.getReason()).isEqualTo("high_risk_area");
        assertThat(condition.getDeclared()).isTrue();
    }
}
