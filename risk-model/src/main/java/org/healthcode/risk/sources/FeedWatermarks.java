package org.healthcode.risk.sources;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.healthcode.risk.events.FeedRecord;

/** Event-time policies for feed records: the event's time; rejected records never move the watermark. */
public final class FeedWatermarks {
    private FeedWatermarks() {}

    /**
     * A source that is never quiet before it ends (a bounded collection): bounded out-of-orderness and no idleness.
     * With idleness, a source stalled by back-pressure or a loaded machine would be marked idle and passed by the
     * other inputs' event time, so what is late would depend on timing.
     */
    public static WatermarkStrategy<FeedRecord> outOfOrder(Duration outOfOrderness) {
        return WatermarkStrategy.<FeedRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(new EventTime());
    }

    /**
     * Live Kafka feeds: bounded out-of-orderness per partition; a partition stops holding back time only when it has
     * been quiet for {@code idleness} and read to its end ({@link IdleWhenCaughtUp}), so a backlog is never late.
     */
    public static WatermarkStrategy<FeedRecord> live(
            Duration outOfOrderness, Duration idleness, CaughtUpOffsets.Source source) {
        WatermarkStrategy<FeedRecord> strategy = ctx ->
                new IdleWhenCaughtUp(outOfOrderness, idleness, CaughtUpOffsets.of(source), ctx.getInputActivityClock());
        return strategy.withTimestampAssigner(new EventTime());
    }

    /**
     * Replay of an archive: no watermark until the end of input, so every event is applied in exact event-time
     * order whatever the line order; nothing in a replay is late.
     */
    public static WatermarkStrategy<FeedRecord> endOfInputOnly() {
        return WatermarkStrategy.<FeedRecord>noWatermarks().withTimestampAssigner(new EventTime());
    }

    /** The event's time; Long.MIN_VALUE for rejected records so they never advance the watermark. */
    public static final class EventTime implements SerializableTimestampAssigner<FeedRecord> {
        @Override
        public long extractTimestamp(FeedRecord r, long recordTimestamp) {
            return r.isEvent() ? r.event().time() : Long.MIN_VALUE;
        }
    }
}
