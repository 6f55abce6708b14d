package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The streamed JSON line of an audit record says exactly what the Jackson rendering says, and reads back. */
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
}
