package org.healthcode.risk.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.MissedTest;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.functions.PersonRiskFunction;
import org.healthcode.risk.functions.RuleBroadcast;
import org.healthcode.risk.functions.SideOutputs;
import org.healthcode.risk.rules.RuleSet;

/** {@link PersonRiskFunction} in an operator test harness, driven by events and watermarks in domain terms. */
public final class PersonRiskHarness implements AutoCloseable {
    private final KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> harness;

    public PersonRiskHarness(RuleSet rules) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new PersonRiskFunction(rules, SideOutputs.REJECTED),
                PersonInput::personId,
                Types.STRING,
                RuleBroadcast.DESCRIPTOR);
    }

    public PersonRiskHarness() throws Exception {
        this(RuleSet.defaults());
    }

    public PersonRiskHarness send(Event... events) throws Exception {
        for (Event e : events) {
            harness.processElement(new StreamRecord<>(PersonInput.of(e), e.time()));
        }
        return this;
    }

    public PersonRiskHarness send(AreaStay a) throws Exception {
        PersonInput in = PersonInput.of(a);
        harness.processElement(new StreamRecord<>(in, in.time()));
        return this;
    }

    public PersonRiskHarness send(OverrideDecision o) throws Exception {
        PersonInput in = PersonInput.of(o);
        harness.processElement(new StreamRecord<>(in, in.time()));
        return this;
    }

    public PersonRiskHarness send(MissedTest m) throws Exception {
        PersonInput in = PersonInput.of(m);
        harness.processElement(new StreamRecord<>(in, in.time()));
        return this;
    }

    public PersonRiskHarness send(Exposure x) throws Exception {
        PersonInput in = PersonInput.of(x);
        harness.processElement(new StreamRecord<>(in, in.time()));
        return this;
    }

    /** Moves event time to {@code t}: everything at or before it is applied and every due timer fires. */
    /** A rule set arriving on the broadcast input. */
    public PersonRiskHarness rules(byte[] json) throws Exception {
        harness.processBroadcastElement(RuleSetUpdate.ofFile(json), Long.MIN_VALUE);
        return this;
    }

    public List<Rejected> rejected() {
        var side = harness.getSideOutput(SideOutputs.REJECTED);
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).toList();
    }

    public PersonRiskHarness advanceTo(Instant t) throws Exception {
        harness.processWatermark(new Watermark(t.toEpochMilli()));
        harness.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        return this;
    }

    public List<StatusChange> statuses() {
        List<StatusChange> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((StatusChange) r.getValue());
            }
        }
        return out;
    }

    public List<StatusChange> statusesOf(String person) {
        return statuses().stream().filter(s -> s.personId().equals(person)).toList();
    }

    /** The colour the person had at {@code t}, from the emitted changes (green before the first). */
    public String colourAt(String person, Instant t) {
        String colour = "green";
        for (StatusChange s : statusesOf(person)) {
            if (s.effectiveMs() <= t.toEpochMilli()) {
                colour = s.colour();
            }
        }
        return colour;
    }

    public StatusChange latest(String person) {
        List<StatusChange> s = statusesOf(person);
        return s.isEmpty() ? null : s.get(s.size() - 1);
    }

    /** Keyed state entries of the heap backend the harness runs on. */
    public int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    public int timers() {
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
