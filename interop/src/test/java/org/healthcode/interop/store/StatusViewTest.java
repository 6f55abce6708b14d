package org.healthcode.interop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.interop.store.StatusViewTestSupport.change;
import static org.healthcode.interop.store.StatusViewTestSupport.red;
import static org.healthcode.interop.store.StatusViewTestSupport.yellow;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view's rules: seq only moves forward, tombstones delete, positions are stored with the data. */
class StatusViewTest {
    private static final TopicPartition P0 = new TopicPartition("status", 0);
    private static final TopicPartition P1 = new TopicPartition("status", 1);

    @TempDir
    Path dir;

    @Test
    void aHigherSeqReplacesTheStatusAndALowerOrEqualOneIsIgnored() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            assertThat(view.apply(List.of(change("alice", yellow("alice", 2))), Map.of(P0, 1L))
                            .applied())
                    .isEqualTo(1);

            StatusView.ApplyResult r = view.apply(
                    List.of(change("alice", red("alice", 1)), change("alice", red("alice", 2))), Map.of(P0, 3L));

            assertThat(r.applied()).isZero();
            assertThat(r.stale()).isEqualTo(2);
            assertThat(view.get("alice").orElseThrow().getColour()).isEqualTo("yellow");

            view.apply(List.of(change("alice", red("alice", 3))), Map.of(P0, 4L));
            assertThat(view.get("alice").orElseThrow().getSeq()).isEqualTo(3);
        }
    }

    @Test
    void aRebuiltJobsHigherEpochSupersedesHigherSeqsOfTheOldOneAndNotTheOtherWayRound() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            view.apply(List.of(change("alice", red("alice", 1)), change("alice", yellow("alice", 2))), Map.of(P0, 2L));

            // the rebuilt job (new epoch) starts again at seq 1
            StatusView.ApplyResult r = view.apply(
                    List.of(change(
                            "alice", red("alice", 1).toBuilder().setEpoch(7).build())),
                    Map.of(P0, 3L));
            assertThat(r.applied()).isEqualTo(1);
            assertThat(view.get("alice").orElseThrow().getColour()).isEqualTo("red");

            // a late record of the old job (no epoch), whatever its seq, does not move the person back
            r = view.apply(List.of(change("alice", yellow("alice", 9))), Map.of(P0, 4L));
            assertThat(r.stale()).isEqualTo(1);
            assertThat(view.get("alice").orElseThrow().getEpoch()).isEqualTo(7);
        }
    }

    @Test
    void withinOneBatchTheHighestSeqWinsWhateverTheOrder() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            StatusView.ApplyResult r = view.apply(
                    List.of(
                            change("bob", yellow("bob", 1)),
                            change("bob", red("bob", 3)),
                            change("bob", yellow("bob", 2))),
                    Map.of(P0, 3L));

            assertThat(r.applied()).isEqualTo(2);
            assertThat(r.stale()).isEqualTo(1);
            assertThat(view.get("bob").orElseThrow().getSeq()).isEqualTo(3);
        }
    }

    @Test
    void aTombstoneRemovesThePerson() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            view.apply(List.of(change("carol", red("carol", 5)), change("dave", red("dave", 1))), Map.of(P0, 2L));

            StatusView.ApplyResult r = view.apply(List.of(new StatusView.Change("carol", null)), Map.of(P0, 3L));

            assertThat(r.deleted()).isEqualTo(1);
            assertThat(view.get("carol")).isEmpty();
            assertThat(view.get("dave")).isPresent();
        }
    }

    @Test
    void aValueThatIsNotAStatusIsCountedAndSkipped() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
            StatusView.ApplyResult r = view.apply(
                    List.of(new StatusView.Change("erin", garbage), change("frank", yellow("frank", 1))),
                    Map.of(P0, 2L));

            assertThat(r.malformed()).isEqualTo(1);
            assertThat(r.applied()).isEqualTo(1);
            assertThat(view.get("erin")).isEmpty();
            assertThat(view.storedOffsets("status")).containsEntry(P0, 2L);
        }
    }

    @Test
    void dataAndPositionsSurviveAReopenTogether() throws Exception {
        try (StatusView view = StatusView.open(dir)) {
            view.apply(List.of(change("alice", red("alice", 1))), Map.of(P0, 10L, P1, 7L));
            // only stale records: the position still moves, so they are not read again after a restart
            view.apply(List.of(change("alice", red("alice", 1))), Map.of(P0, 11L));
            // another topic's positions are kept apart
            view.apply(List.of(), Map.of(new TopicPartition("status-other", 0), 99L));
        }
        try (StatusView view = StatusView.open(dir)) {
            assertThat(view.storedOffsets("status")).isEqualTo(Map.of(P0, 11L, P1, 7L));
            assertThat(view.storedOffsets("status-other"))
                    .isEqualTo(Map.of(new TopicPartition("status-other", 0), 99L));
            assertThat(view.get("alice").orElseThrow().getColour()).isEqualTo("red");
            assertThat(view.approximatePersons()).isEqualTo(1);
        }
    }

    @Test
    void aClosedViewRefusesLookupsInsteadOfCrashing() throws Exception {
        StatusView view = StatusView.open(dir);
        view.close();
        view.close();
        assertThat(view.isOpen()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.get("alice"))
                .isInstanceOf(StatusView.ViewClosedException.class);
    }
}
