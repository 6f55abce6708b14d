package org.healthcode.contracts.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.junit.jupiter.api.Test;

/** The streamed rendering of a status the lookup API sends is byte for byte the tree rendering replay writes. */
class StatusJsonTest {
    private static final long MONDAY_9AM = 1_776_070_800_000L;

    private static ConditionRecord condition(String reason, String colour, long phaseEnd, String... causes) {
        return ConditionRecord.newBuilder()
                .setReason(reason)
                .setColour(colour)
                .setStartMs(MONDAY_9AM - 3_600_000)
                .setPhaseEndMs(phaseEnd)
                .setEndsWith("a negative test sampled after \"day 3\" \\ é")
                .addAllCause(java.util.List.of(causes))
                .build();
    }

    @Test
    void fullBytesEqualTheTreeRenderingForGreenYellowAndRedStatuses() {
        StatusRecord green = StatusRecord.newBuilder()
                .setPersonId("pa-alice")
                .setColour("green")
                .setSinceMs(MONDAY_9AM)
                .setRuleVersion("rules-1")
                .setSeq(7)
                .setEffectiveMs(MONDAY_9AM + 1)
                .build();
        StatusRecord yellow = green.toBuilder()
                .setPersonId("pa-carol")
                .setColour("yellow")
                .addConditions(condition("close_contact", "yellow", MONDAY_9AM + 86_400_123L, "ev-1"))
                .build();
        StatusRecord red = green.toBuilder()
                .setPersonId("pa-bob")
                .setColour("red")
                .setSeq(Long.MAX_VALUE)
                .addConditions(condition("positive_test", "red", 0))
                .addConditions(condition("close_contact", "yellow", MONDAY_9AM + 5, "ev-2", "ev-3\n"))
                .build();
        StatusRecord empty = StatusRecord.getDefaultInstance();
        for (StatusRecord s : new StatusRecord[] {green, yellow, red, empty}) {
            assertThat(new String(StatusJson.fullBytes(s), StandardCharsets.UTF_8))
                    .isEqualTo(StatusJson.toLine(StatusJson.full(s)));
        }
        // phaseEnd is left out when 0, present otherwise
        assertThat(new String(StatusJson.fullBytes(red), StandardCharsets.UTF_8))
                .contains("\"phaseEnd\"")
                .containsOnlyOnce("\"phaseEnd\"");
    }
}
