package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.OPERATOR_CHEN;
import static org.healthcode.risk.testing.Fixtures.OPERATOR_LI;
import static org.healthcode.risk.testing.Fixtures.overrideApproval;
import static org.healthcode.risk.testing.Fixtures.overrideRefusal;
import static org.healthcode.risk.testing.Fixtures.overrideRequest;
import static org.healthcode.risk.testing.Fixtures.overrideWithdrawal;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.OverrideDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The review of manual overrides, keyed by request: two operators, refusals with reasons, audit of every action. */
class OverrideReviewTest {
    private static final String APPEAL = "appeal-7";
    private static final Instant EXPIRY = plusDays(MONDAY_9AM, 7);

    private KeyedOneInputStreamOperatorTestHarness<String, Event, OverrideDecision> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OverrideReview(SideOutputs.AUDIT), Event::requestId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.time()));
        }
    }

    private void advanceTo(Instant t) throws Exception {
        h.processWatermark(new Watermark(t.toEpochMilli()));
    }

    private List<AuditRecord> audit() {
        var side = h.getSideOutput(SideOutputs.AUDIT);
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).toList();
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void theRequesterCannotApproveUnderADifferentlyCasedOrSpacedName() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "green", "op-chen", MONDAY_9AM, EXPIRY),
                overrideApproval(APPEAL, "Op-Chen", plusHours(MONDAY_9AM, 1)),
                overrideApproval(APPEAL, " op-chen ", plusHours(MONDAY_9AM, 2)));
        advanceTo(plusHours(MONDAY_9AM, 3));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit())
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditRecord.ACCEPTED, AuditRecord.REFUSED, AuditRecord.REFUSED);
        assertThat(audit().get(1).reason()).startsWith("self-approval");
    }

    @Test
    void aRequestLastingLongerThanTheRuleSetAllowsIsRefused() throws Exception {
        send(
                overrideRequest(
                        APPEAL,
                        ALICE,
                        "green",
                        OPERATOR_CHEN,
                        MONDAY_9AM,
                        plusDays(
                                MONDAY_9AM,
                                (int) (org.healthcode.risk.rules.RuleSet.DEFAULT_OVERRIDE_MAX_HOURS / 24) + 1)),
                overrideApproval(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 1)));
        advanceTo(plusHours(MONDAY_9AM, 2));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit().get(0).outcome()).isEqualTo(AuditRecord.REFUSED);
        assertThat(audit().get(0).reason()).contains("expiry beyond the rule set's bound");
        assertThat(audit().get(1).reason()).isEqualTo("unknown request");
    }

    @Test
    void aRequestTakesEffectOnlyWhenASecondOperatorApprovesIt() throws Exception {
        send(overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, MONDAY_9AM, EXPIRY));
        advanceTo(plusHours(MONDAY_9AM, 1));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit()).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("request");
            assertThat(a.outcome()).isEqualTo(AuditRecord.ACCEPTED);
            assertThat(a.state()).isEqualTo("pending");
            assertThat(a.personId()).isEqualTo(ALICE);
            assertThat(a.basis()).contains("lab letter");
        });

        send(overrideApproval(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 2)));
        advanceTo(plusHours(MONDAY_9AM, 2));
        assertThat(h.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.active()).isTrue();
            assertThat(d.personId()).isEqualTo(ALICE);
            assertThat(d.timeMs()).isEqualTo(plusHours(MONDAY_9AM, 2).toEpochMilli());
            assertThat(d.terms().colour()).isEqualTo("green");
            assertThat(d.terms().requester()).isEqualTo(OPERATOR_CHEN);
            assertThat(d.terms().approver()).isEqualTo(OPERATOR_LI);
            assertThat(d.terms().expiryMs()).isEqualTo(EXPIRY.toEpochMilli());
        });
        assertThat(audit().get(1)).satisfies(a -> {
            assertThat(a.action()).isEqualTo("approval");
            assertThat(a.outcome()).isEqualTo(AuditRecord.ACCEPTED);
            assertThat(a.state()).isEqualTo("active");
            assertThat(a.operator()).isEqualTo(OPERATOR_LI);
        });
    }

    @Test
    void selfApprovalIsRefusedAndAudited() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, MONDAY_9AM, EXPIRY),
                overrideApproval(APPEAL, OPERATOR_CHEN, plusHours(MONDAY_9AM, 1)));
        advanceTo(plusHours(MONDAY_9AM, 1));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit().get(1)).satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AuditRecord.REFUSED);
            assertThat(a.reason()).startsWith("self-approval");
            assertThat(a.state()).isEqualTo("pending");
        });
    }

    @Test
    void approvingAnUnknownOrExpiredRequestIsRefused() throws Exception {
        send(
                overrideApproval("no-such-request", OPERATOR_LI, MONDAY_9AM),
                overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, MONDAY_9AM, plusDays(MONDAY_9AM, 1)),
                overrideApproval(APPEAL, OPERATOR_LI, plusDays(MONDAY_9AM, 2)));
        advanceTo(plusDays(MONDAY_9AM, 2));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit())
                .filteredOn(a -> a.action().equals("approval"))
                .extracting(AuditRecord::outcome, AuditRecord::reason)
                .satisfiesExactlyInAnyOrder(
                        t -> assertThat(t.toList()).containsExactly(AuditRecord.REFUSED, "unknown request"),
                        t -> assertThat((String) t.toList().get(1)).startsWith("expired"));
    }

    @Test
    void anApprovalSampledBeforeItsRequestIsUnknownWhateverTheArrivalOrder() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, plusHours(MONDAY_9AM, 2), EXPIRY),
                overrideApproval(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 1)));
        advanceTo(plusHours(MONDAY_9AM, 3));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit())
                .extracting(AuditRecord::action, AuditRecord::outcome)
                .map(t -> t.toList().toString())
                .containsExactly("[approval, refused]", "[request, accepted]");
    }

    @Test
    void aRefusedRequestCanNoLongerBeApproved() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, MONDAY_9AM, EXPIRY),
                overrideRefusal(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 1)),
                overrideApproval(APPEAL, "op-wang", plusHours(MONDAY_9AM, 2)));
        advanceTo(plusHours(MONDAY_9AM, 2));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(audit().get(1)).satisfies(a -> {
            assertThat(a.action()).isEqualTo("refusal");
            assertThat(a.state()).isEqualTo("refused");
            assertThat(a.reason()).isEqualTo("no lab letter attached");
        });
        assertThat(audit().get(2).reason()).isEqualTo("the request was refused");
    }

    @Test
    void withdrawingAnActiveOverrideEndsItForThePerson() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "red", OPERATOR_CHEN, MONDAY_9AM, EXPIRY),
                overrideApproval(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 1)),
                overrideWithdrawal(APPEAL, OPERATOR_CHEN, plusDays(MONDAY_9AM, 2)),
                overrideWithdrawal(APPEAL, OPERATOR_LI, plusDays(MONDAY_9AM, 3)));
        advanceTo(plusDays(MONDAY_9AM, 3));
        assertThat(h.extractOutputValues()).extracting(OverrideDecision::active).containsExactly(true, false);
        assertThat(h.extractOutputValues().get(1).timeMs())
                .isEqualTo(plusDays(MONDAY_9AM, 2).toEpochMilli());
        assertThat(audit())
                .extracting(AuditRecord::outcome)
                .containsExactly("accepted", "accepted", "accepted", "refused");
        assertThat(audit().get(3).reason()).contains("withdrawn");
    }

    @Test
    void aRequestIsForgottenFourteenDaysAfterItsExpiry() throws Exception {
        send(
                overrideRequest(APPEAL, ALICE, "green", OPERATOR_CHEN, MONDAY_9AM, EXPIRY),
                overrideApproval(APPEAL, OPERATOR_LI, plusHours(MONDAY_9AM, 1)));
        advanceTo(plusDays(EXPIRY, 13));
        assertThat(stateEntries()).isEqualTo(1);
        advanceTo(plusDays(EXPIRY, 14));
        assertThat(stateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
