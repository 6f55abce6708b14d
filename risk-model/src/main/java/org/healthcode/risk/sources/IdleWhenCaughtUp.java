package org.healthcode.risk.sources;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.kafka.common.TopicPartition;
import org.healthcode.risk.events.FeedRecord;

/**
 * The watermarks of one Kafka partition (split): bounded out-of-orderness, and idle (no longer holding back event
 * time) only when it has been quiet for the idleness timeout <em>and</em> has been read to its end. Quiet alone is not
 * enough: while a job works through a backlog, the consumer serves the partitions in turns and a partition that still
 * holds days of data can go unserved longer than the timeout; marked idle, it would let the other partitions carry
 * event time past its data, which then arrives late. Quiet is measured on the source's input activity clock, which
 * stands still while the source is back-pressured.
 */
final class IdleWhenCaughtUp implements WatermarkGenerator<FeedRecord> {
    private final WatermarkGenerator<FeedRecord> watermarks;
    private final CaughtUpOffsets offsets;
    private final RelativeClock clock;
    private final long timeoutMs;
    /** When this generator was made (epoch ms): a restored task's generators are new, the JVM may not be. */
    private final long createdAt = System.currentTimeMillis();

    private long counter;
    private long lastCounter;
    private long quietSince = -1;
    private TopicPartition partition;
    private long lastOffset = -1;

    IdleWhenCaughtUp(Duration outOfOrderness, Duration idleness, CaughtUpOffsets offsets, RelativeClock clock) {
        this.watermarks = new BoundedOutOfOrdernessWatermarks<>(outOfOrderness);
        this.offsets = offsets;
        this.clock = clock;
        this.timeoutMs = idleness.toMillis();
    }

    @Override
    public void onEvent(FeedRecord r, long timestamp, WatermarkOutput output) {
        watermarks.onEvent(r, timestamp, output);
        counter++;
        if (r.topic() != null) {
            if (partition == null
                    || partition.partition() != r.partition()
                    || !partition.topic().equals(r.topic())) {
                partition = new TopicPartition(r.topic(), r.partition());
            }
            lastOffset = r.offset();
            offsets.seen(partition);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (quietLongEnough() && caughtUp()) {
            output.markIdle();
        } else {
            watermarks.onPeriodicEmit(output);
        }
    }

    private boolean caughtUp() {
        return partition == null ? offsets.unseenCaughtUp(createdAt) : offsets.caughtUp(partition, lastOffset);
    }

    /** As Flink's idleness timer: no record since the previous emit, and none for the timeout. */
    private boolean quietLongEnough() {
        if (counter != lastCounter) {
            lastCounter = counter;
            quietSince = -1;
            return false;
        }
        long now = clock.relativeTimeMillis();
        if (quietSince < 0) {
            quietSince = now;
            return false;
        }
        return now - quietSince >= timeoutMs;
    }
}
