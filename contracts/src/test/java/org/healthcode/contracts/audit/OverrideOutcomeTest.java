package org.healthcode.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.contracts.testing.Golden;
import org.junit.jupiter.api.Test;

/** The serving side reads the job's pinned override audit line back as the job's decision, and nothing else as one. */
class OverrideOutcomeTest {
    @Test
    void theJobsApprovalLineReadsAsAnAcceptedApprovalOfItsRequest() throws Exception {
        OverrideOutcome o = OverrideOutcome.read(Golden.OVERRIDE_AUDIT_LINE.getBytes(StandardCharsets.UTF_8))
                .orElseThrow();
        assertThat(o)
                .isEqualTo(new OverrideOutcome(
                        Instant.parse("2022-04-05T03:00:00Z"),
                        OverrideOutcome.APPROVAL,
                        OverrideOutcome.ACCEPTED,
                        "appr-2",
                        "appeal-1",
                        Golden.OVERRIDE_AUDIT_SUBJECT,
                        Golden.OVERRIDE_AUDIT_CALLER,
                        "active",
                        null));
        assertThat(o.accepted()).isTrue();
    }

    @Test
    void aServingRecordOrARecordWithoutRequestIsNoDecision() throws Exception {
        String lookup =
                "{\"at\":\"2022-04-05T03:00:00Z\",\"caller\":\"app\",\"role\":\"app\",\"callerRegion\":\"440000\","
                        + "\"action\":\"approval\",\"subject\":\"p\",\"result\":\"accepted\",\"detail\":\"requestId\"}";
        assertThat(OverrideOutcome.read(lookup.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        String unreadable = "{\"at\":\"1970-01-01T00:00:00Z\",\"caller\":null,\"action\":\"unknown\","
                + "\"result\":\"refused\",\"eventId\":\"ev-9\",\"state\":\"none\"}";
        assertThat(OverrideOutcome.read(unreadable.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }
}
