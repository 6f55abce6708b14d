package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.CampaignCheck;
import org.healthcode.risk.events.MissedTestInput;

/** Wraps identity bindings, test results and campaign checks into the one input type of {@link MissedTestDetector}. */
public final class ToMissedTestInput {
    private ToMissedTestInput() {}

    /** An identity binding or a test result. */
    public static class FromEvent implements MapFunction<Event, MissedTestInput> {
        @Override
        public MissedTestInput map(Event e) {
            return MissedTestInput.of(e);
        }
    }

    /** A campaign that may concern the person. */
    public static class FromCheck implements MapFunction<CampaignCheck, MissedTestInput> {
        @Override
        public MissedTestInput map(CampaignCheck c) {
            return MissedTestInput.of(c);
        }
    }
}
