package org.healthcode.risk.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.healthcode.contracts.audit.OverrideOutcome;
import org.healthcode.contracts.testing.Golden;
import org.healthcode.risk.events.AuditRecord;
import org.junit.jupiter.api.Test;

/** The job's override audit line is the contract's pinned line, which the serving side's audit log reads back. */
class AuditJsonTest {
    @Test
    void anApprovalIsWrittenAsTheServingSideReadsIt() {
        AuditRecord approval = new AuditRecord(
                "appr-2",
                Instant.parse("2022-04-05T03:00:00Z").toEpochMilli(),
                "approval",
                AuditRecord.ACCEPTED,
                "appeal-1",
                Golden.OVERRIDE_AUDIT_SUBJECT,
                Golden.OVERRIDE_AUDIT_CALLER,
                "active",
                "green",
                null,
                Instant.parse("2022-04-12T02:00:00Z").toEpochMilli(),
                null);
        assertThat(AuditJson.toLine(approval)).isEqualTo(Golden.OVERRIDE_AUDIT_LINE);
    }

    @Test
    void anUnreadableOverridesRecordHasNoCallerAndNoRole() {
        AuditRecord unknown = new AuditRecord(
                "ev-9",
                0,
                "unknown",
                AuditRecord.REFUSED,
                null,
                null,
                null,
                "none",
                null,
                null,
                null,
                "not an override event");
        assertThat(AuditJson.toLine(unknown))
                .startsWith(
                        "{\"at\":\"1970-01-01T00:00:00Z\",\"caller\":null,"
                                + "\"role\":null,\"callerRegion\":null,\"action\":\"unknown\",\"subject\":null,\"result\":\"refused\"");
    }

    @Test
    void aRefusedApprovalReadsBackAsTheRefusalOfItsEventWithTheReason() throws Exception {
        AuditRecord refused = new AuditRecord(
                "appr-3",
                Instant.parse("2022-04-05T03:00:00Z").toEpochMilli(),
                "approval",
                AuditRecord.REFUSED,
                "appeal-1",
                "p-1",
                "op-li",
                "pending",
                "green",
                null,
                null,
                "expired");
        String line = AuditJson.toLine(refused);
        OverrideOutcome o = OverrideOutcome.read(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .orElseThrow();
        assertThat(o.accepted()).isFalse();
        assertThat(o.eventId()).isEqualTo("appr-3");
        assertThat(o.requestId()).isEqualTo("appeal-1");
        assertThat(o.personId()).isEqualTo("p-1");
        assertThat(o.reason()).isEqualTo("expired");
        assertThat(line).contains("\"detail\":\"override appeal-1 pending: expired\"");
    }
}
