package org.healthcode.interop.corrections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CorrectionTest {
    private static final Instant FILED = Instant.parse("2022-04-01T01:00:00Z");
    private static final Instant LATER = Instant.parse("2022-04-01T02:00:00Z");

    @Test
    void aRequestReadsBackFromItsTopicFormUnchangedAtEveryStep() {
        Correction filed = Correction.filed("cor-1", "pat", "never there", "ticket G1", FILED);
        Correction proposed = filed.taken("op-chen", LATER)
                .proposed("req-1", "ovr-1", "green", LATER.plusSeconds(86_400), "op-chen", "the ticket", LATER);
        Correction approved = proposed.approved("op-li", "ovr-2", LATER);
        Correction corrected = approved.corrected("op-li", LATER);
        Correction refused = approved.refusedByEngine("expired", LATER);
        for (Correction c :
                new Correction[] {filed, proposed, approved, corrected, refused, filed.upheld("op-li", "stands", LATER)
                }) {
            assertThat(Correction.fromJson(c.toJson())).isEqualTo(c);
        }
        assertThat(corrected.version()).isEqualTo(5);
    }

    @Test
    void thePersonSeesTheOutcomeOnlyOnceDecidedAndNeverAnOperatorsName() {
        Correction proposed = Correction.filed("cor-1", "pat", "r", null, FILED)
                .taken("op-chen", LATER)
                .proposed("req-1", "ovr-1", "green", LATER.plusSeconds(86_400), "op-chen", "note", LATER);
        assertThat(proposed.toPersonJson().has("outcome")).isFalse();
        assertThat(proposed.toPersonJson().has("correction")).isFalse();
        Correction approved = proposed.approved("op-li", "ovr-2", LATER);
        assertThat(approved.toPersonJson().path("state").asText()).isEqualTo("in_review");
        assertThat(approved.toPersonJson().path("correction").asText()).isEqualTo("approved");
        assertThat(approved.toPersonJson().has("outcome"))
                .as("approved by two operators is not corrected before the job accepts it")
                .isFalse();
        String refused = approved.refusedByEngine("self-approval: not op-li", LATER)
                .toPersonJson()
                .toString();
        assertThat(refused).contains("\"correction\":\"refused\"").doesNotContain("op-li", "self-approval");
        String decided = approved.corrected("op-li", LATER).toPersonJson().toString();
        assertThat(decided).contains("\"decision\":\"corrected\"", "\"colour\":\"green\"");
        assertThat(decided).doesNotContain("op-chen", "op-li", "req-1");
    }

    @Test
    void everyReplicaKeepsTheSameCopyOfARequestWhateverOrderCopiesArriveIn() {
        Correction filed = Correction.filed("cor-1", "pat", "r", null, FILED);
        Correction takenHere = filed.taken("op-chen", LATER);
        Correction takenThere = filed.taken("op-li", LATER);
        assertThat(CorrectionStore.NEWER.compare(takenHere, filed)).isPositive();
        Correction first = CorrectionStore.NEWER.compare(takenHere, takenThere) > 0 ? takenHere : takenThere;
        Correction second = CorrectionStore.NEWER.compare(takenThere, takenHere) > 0 ? takenThere : takenHere;
        assertThat(first).isEqualTo(second);
    }
}
