package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    @Test
    void oneLineAPeriodGoesThroughWithTheCountOfTheLinesHeldBack() {
        AtomicLong now = new AtomicLong(123);
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(1), now::get);
        assertThat(throttle.admit()).isZero();
        for (int i = 0; i < 295; i++) {
            assertThat(throttle.admit()).isEqualTo(-1);
        }
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(throttle.admit()).isEqualTo(-1);
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(throttle.admit()).isEqualTo(296);
        assertThat(throttle.admit()).isEqualTo(-1);
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(throttle.admit()).isEqualTo(1);
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(throttle.admit()).isZero();
    }
}
