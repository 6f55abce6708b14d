package org.healthcode.interop.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.ingest.status.StatusJson;
import org.junit.jupiter.api.Test;

/** The hand-written lookup body is byte for byte the status JSON of {@link StatusJson#full}. */
class StatusBodiesTest {
    private static final long MONDAY_9AM = Instant.parse("2022-04-04T09:00:00Z").toEpochMilli();

    @Test
    void aGreenStatusWithoutConditions() {
        assertSameAsStatusJson(StatusRecord.newBuilder().setPersonId("alice").setColour("green").setSinceMs(MONDAY_9AM)
                .setRuleVersion("2022.04").setSeq(1).setEffectiveMs(MONDAY_9AM).build());
    }

    @Test
    void aRedStatusWithTwoConditionsPhaseEndsAndSeveralCauses() {
        assertSameAsStatusJson(StatusRecord.newBuilder().setPersonId("Zm9v_YmFy-123").setColour("red")
                .setSinceMs(MONDAY_9AM + 123)
                .addConditions(ConditionRecord.newBuilder().setReason("positive_test").addCause("health-1")
                        .addCause("health-2").setStartMs(MONDAY_9AM).setColour("red")
                        .setEndsWith("two negative tests at least 24 h apart"))
                .addConditions(ConditionRecord.newBuilder().setReason("close_contact").setStartMs(MONDAY_9AM - 1)
                        .setPhaseEndMs(MONDAY_9AM + 3 * 86_400_000L).setColour("yellow").setEndsWith("a negative test"))
                .setRuleVersion("2022.04").setSeq(Long.MAX_VALUE).setEffectiveMs(MONDAY_9AM + 86_400_999L)
                .setNationalId("not rendered").build());
    }

    @Test
    void stringsThatNeedEscapingAndEmptyOrExtremeValues() {
        assertSameAsStatusJson(StatusRecord.newBuilder().setPersonId("").setColour("quote \" back \\ nl \n cr \r "
                        + "tab \t bs \b ff \f bell \u0007 unit \u001f é 中 \uD83D\uDE00 </script>")
                .addConditions(ConditionRecord.newBuilder().setReason("").addCause("").setStartMs(-1)
                        .setPhaseEndMs(1).setColour("").setEndsWith(""))
                .setRuleVersion("").setSeq(-5).setSinceMs(Long.MIN_VALUE).setEffectiveMs(Long.MAX_VALUE).build());
    }

    private static void assertSameAsStatusJson(StatusRecord s) {
        assertThat(new String(StatusBodies.full(s), StandardCharsets.UTF_8))
                .isEqualTo(StatusJson.toLine(StatusJson.full(s)));
    }
}
