package org.healthcode.interop.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.healthcode.interop.audit.AuditRecord;
import org.junit.jupiter.api.Test;

/** The hand-written JSON line of an audit record says exactly what the Jackson rendering says, and reads back. */
class AuditRecordJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonLineEqualsTheJacksonRenderingAndParsesBack() throws Exception {
        for (Instant at : new Instant[] {Instant.parse("2026-11-27T03:26:18Z"),
                Instant.parse("2026-11-27T03:26:18.120Z"), Instant.parse("2026-11-27T03:26:18.000123Z"),
                Instant.parse("2026-11-27T03:26:18.000000007Z"), Instant.parse("1999-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-11-27T03:26:19.5Z")}) {
            AuditRecord r = new AuditRecord(at, "dev-open", "app", "110000", AuditRecord.LOOKUP, "person-1",
                    "found", "quote \" backslash \\ newline \n tab \t bell \u0007 non-ascii é");
            assertThat(JSON.readTree(r.toJsonLine())).isEqualTo(r.toJson());
            assertThat(AuditRecord.fromJson(JSON.readTree(r.toJsonLine()))).isEqualTo(r);
        }
        AuditRecord nulls = new AuditRecord(Instant.parse("2026-11-27T03:26:18.5Z"), "anonymous", null, null,
                AuditRecord.LOOKUP, null, "overloaded", null);
        assertThat(JSON.readTree(nulls.toJsonLine())).isEqualTo(nulls.toJson());
    }

    @Test
    void instantsAreWrittenAsInstantToStringWrites() {
        Instant base = Instant.parse("2026-11-27T03:26:18Z");
        for (long nanos : new long[] {0, 1, 10, 1_000, 1_000_000, 123_456_789, 999_999_999, 1_500_000_000L,
                86_400_000_000_000L}) {
            Instant at = base.plusNanos(nanos);
            StringBuilder b = new StringBuilder();
            IsoInstants.append(b, at);
            assertThat(b.toString()).isEqualTo(at.toString());
        }
        for (long ms : new long[] {0, 1, -1, 999, -1000, 1_650_000_000_123L, Long.MAX_VALUE, Long.MIN_VALUE,
                -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L, 253_402_300_800_000L,
                951_782_400_000L /* 2000-02-29 */}) {
            StringBuilder b = new StringBuilder();
            IsoInstants.appendMillis(b, ms);
            assertThat(b.toString()).as("epoch ms %d", ms).isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }
}
