package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.contracts.testing.Golden;
import org.junit.jupiter.api.Test;

/** The streamed JSON line of an audit record says exactly what the Jackson rendering says, and reads back. */
class AuditRecordJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonLineEqualsTheJacksonRenderingAndParsesBack() throws Exception {
        for (Instant at : new Instant[] {
            Instant.parse("2026-11-27T03:26:18Z"),
            Instant.parse("2026-11-27T03:26:18.120Z"),
            Instant.parse("2026-11-27T03:26:18.000123Z"),
            Instant.parse("2026-11-27T03:26:18.000000007Z"),
            Instant.parse("1999-12-31T23:59:59.999999999Z"),
            Instant.parse("2026-11-27T03:26:19.5Z")
        }) {
            AuditRecord r = new AuditRecord(
                    at,
                    "dev-open",
                    "app",
                    "110000",
                    AuditRecord.LOOKUP,
                    "person-1",
                    "found",
                    "quote \" backslash \\ newline \n tab \t bell \u0007 non-ascii é");
            assertThat(JSON.readTree(r.toJsonLine())).isEqualTo(r.toJson());
            assertThat(AuditRecord.fromJson(JSON.readTree(r.toJsonLine()))).isEqualTo(r);
            assertThat(AuditRecord.fromJsonBytes(r.toJsonBytes())).isEqualTo(r);
            AuditIndex.Entry keys = AuditIndex.Entry.of(r.toJsonBytes(), 1, 42);
            assertThat(keys.subject()).isEqualTo("person-1");
            assertThat(keys.caller()).isEqualTo("dev-open");
            assertThat(keys.atMillis()).isEqualTo(at.toEpochMilli());
            assertThat(keys.json()).isEqualTo(r.toJsonBytes());
            assertThat(new String(r.toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(r.toJsonLine());
        }
        AuditRecord nulls = new AuditRecord(
                Instant.parse("2026-11-27T03:26:18.5Z"),
                "anonymous",
                null,
                null,
                AuditRecord.LOOKUP,
                null,
                "overloaded",
                null);
        assertThat(JSON.readTree(nulls.toJsonLine())).isEqualTo(nulls.toJson());
        assertThat(AuditRecord.fromJsonBytes(nulls.toJsonBytes())).isEqualTo(nulls);
        assertThat(AuditIndex.Entry.of(nulls.toJsonBytes(), 0, 0).subject()).isNull();
        assertThatThrownBy(() -> AuditIndex.Entry.of("{\"subject\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0, 0))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("'at'");
    }

    @Test
    void aBatchRecordNamesEveryPersonAndIsIndexedUnderEachAsTheirOwnLookup() throws Exception {
        AuditRecord r = new AuditRecord(
                Instant.parse("2026-11-27T03:26:18.5Z"),
                "gate-7",
                "checkpoint",
                "440000",
                AuditRecord.LOOKUP,
                null,
                AuditRecord.BATCH,
                "batch of 3",
                java.util.List.of(
                        new AuditRecord.BatchItem("pa-1", "found"),
                        new AuditRecord.BatchItem("pa-2", "unknown_person")));
        assertThat(JSON.readTree(r.toJsonLine())).isEqualTo(r.toJson());
        assertThat(AuditRecord.fromJson(JSON.readTree(r.toJsonLine()))).isEqualTo(r);
        assertThat(AuditRecord.fromJsonBytes(r.toJsonBytes())).isEqualTo(r);
        AuditIndex.Entry keys = AuditIndex.Entry.of(r.toJsonBytes(), 0, 3);
        assertThat(keys.subject()).isNull();
        assertThat(keys.caller()).isEqualTo("gate-7");
        assertThat(keys.perSubject()).extracting(AuditIndex.Keyed::subject).containsExactly("pa-1", "pa-2");
        AuditRecord seen = AuditRecord.fromJsonBytes(keys.perSubject().get(1).json());
        assertThat(seen)
                .isEqualTo(new AuditRecord(
                        r.at(),
                        "gate-7",
                        "checkpoint",
                        "440000",
                        AuditRecord.LOOKUP,
                        "pa-2",
                        "unknown_person",
                        "batch of 3"));
    }

    @Test
    void theStreamingReaderSkipsUnknownFieldsAndRejectsRecordsWithoutAnInstant() throws Exception {
        byte[] later = ("{\"at\":\"2026-11-27T03:26:18Z\",\"caller\":\"gate-7\",\"extra\":{\"a\":[1,2]},"
                        + "\"action\":\"lookup\",\"subject\":\"pa-alice\",\"result\":\"found\",\"role\":null}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(AuditRecord.fromJsonBytes(later))
                .isEqualTo(new AuditRecord(
                        Instant.parse("2026-11-27T03:26:18Z"),
                        "gate-7",
                        null,
                        null,
                        AuditRecord.LOOKUP,
                        "pa-alice",
                        "found",
                        null));
        assertThatThrownBy(() -> AuditRecord.fromJsonBytes("{\"caller\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("'at'");
        assertThatThrownBy(() -> AuditRecord.fromJsonBytes("{\"at\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> AuditRecord.fromJsonBytes("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void theJobsOverrideRecordReadsAsARecordOfTheAuditTrailItsOwnFieldsSkipped() throws Exception {
        byte[] line = Golden.OVERRIDE_AUDIT_LINE.getBytes(StandardCharsets.UTF_8);
        AuditRecord r = AuditRecord.fromJsonBytes(line);
        assertThat(r)
                .isEqualTo(new AuditRecord(
                        Instant.parse("2022-04-05T03:00:00Z"),
                        Golden.OVERRIDE_AUDIT_CALLER,
                        "operator",
                        null,
                        "approval",
                        Golden.OVERRIDE_AUDIT_SUBJECT,
                        "accepted",
                        "override appeal-1 active"));
        AuditIndex.Entry keys = AuditIndex.Entry.of(line, 0, 7);
        assertThat(keys.subject()).isEqualTo(Golden.OVERRIDE_AUDIT_SUBJECT);
        assertThat(keys.caller()).isEqualTo(Golden.OVERRIDE_AUDIT_CALLER);
    }
}
