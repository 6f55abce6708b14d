package org.healthcode.interop;

import java.time.Instant;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;

/** Statuses as the risk job writes them, named for what they say. */
public final class StatusFixtures {
    public static final Instant MONDAY_9AM = Instant.parse("2022-04-04T09:00:00Z");
    public static final Instant TUESDAY_9AM = Instant.parse("2022-04-05T09:00:00Z");

    private StatusFixtures() {}

    public static StatusRecord green(String person, long seq, Instant since) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("green")
                .setSinceMs(since.toEpochMilli())
                .setRuleVersion("2022.04")
                .setSeq(seq)
                .setEffectiveMs(since.toEpochMilli())
                .build();
    }

    public static StatusRecord redAfterPositiveTest(String person, long seq, Instant since) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("red")
                .setSinceMs(since.toEpochMilli())
                .addConditions(ConditionRecord.newBuilder()
                        .setReason("positive_test")
                        .addCause("health-" + person)
                        .setStartMs(since.toEpochMilli())
                        .setColour("red")
                        .setEndsWith("two negative tests at least 24 h apart"))
                .setRuleVersion("2022.04")
                .setSeq(seq)
                .setEffectiveMs(since.toEpochMilli())
                .build();
    }

    /** Yellow for a fever the person declared themself (the condition marked declared). */
    public static StatusRecord yellowDeclaredFever(String person, long seq, Instant since, String declarationId) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("yellow")
                .setSinceMs(since.toEpochMilli())
                .addConditions(ConditionRecord.newBuilder()
                        .setReason("declared_fever")
                        .addCause("decl/health/" + person + "/" + declarationId)
                        .setStartMs(since.toEpochMilli())
                        .setColour("yellow")
                        .setEndsWith("a negative test sampled after " + since)
                        .setDeclared(true))
                .setRuleVersion("2022.04")
                .setSeq(seq)
                .setEffectiveMs(since.toEpochMilli())
                .build();
    }

    public static StatusRecord yellowCloseContact(String person, long seq, Instant since) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("yellow")
                .setSinceMs(since.toEpochMilli())
                .addConditions(ConditionRecord.newBuilder()
                        .setReason("close_contact")
                        .addCause("police-" + person)
                        .setStartMs(since.toEpochMilli())
                        .setColour("yellow")
                        .setPhaseEndMs(since.plusSeconds(3 * 86_400).toEpochMilli())
                        .setEndsWith("a negative test"))
                .setRuleVersion("2022.04")
                .setSeq(seq)
                .setEffectiveMs(since.toEpochMilli())
                .build();
    }
}
