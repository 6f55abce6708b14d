package org.healthcode.contracts.testing;

import java.time.Instant;

/**
 * Records pinned byte for byte, shared by the writers' and the readers' tests through this module's test-jar: a
 * writer that changes what it writes, or a reader that changes what it reads, fails its own test.
 */
public final class Golden {
    /** The exchange notice's content: 440000 tells 310000 that nat-golden is red for an infection. */
    public static final String NOTICE_FROM = "440000";

    public static final String NOTICE_TO = "310000";
    public static final String NOTICE_NATIONAL_ID = "nat-golden";
    public static final String NOTICE_COLOUR = "red";
    public static final String NOTICE_CATEGORY = "infection";
    public static final Instant NOTICE_SINCE = Instant.parse("2022-04-04T01:00:00Z");
    public static final Instant NOTICE_EXPIRY = Instant.parse("2022-04-18T01:00:00Z");
    /** SHA-256 of {@code 440000|310000|nat-golden|red|infection|2022-04-04T01:00:00Z|2022-04-18T01:00:00Z}, 16 bytes. */
    public static final String NOTICE_KEY = "4f00f707a2cb799d140b0e6c649bab2c";
    /** The notice as the job writes it to {@code exchange-out} and the serving process pushes and receives it. */
    public static final String NOTICE_JSON = "{\"idempotencyKey\":\"" + NOTICE_KEY + "\",\"fromRegion\":\"440000\","
            + "\"toRegion\":\"310000\",\"nationalId\":\"nat-golden\",\"colour\":\"red\",\"reasonCategory\":\"infection\","
            + "\"since\":\"2022-04-04T01:00:00Z\",\"expiry\":\"2022-04-18T01:00:00Z\"}";

    /**
     * An override approval as the risk job writes it to the {@code audit} topic: op-li approves request appeal-1 for
     * p-golden, which turns it active. The serving process's audit log reads it and {@code /v1/audit} answers it.
     */
    public static final String OVERRIDE_AUDIT_LINE = "{\"at\":\"2022-04-05T03:00:00Z\",\"caller\":\"op-li\","
            + "\"role\":\"operator\",\"callerRegion\":null,\"action\":\"approval\",\"subject\":\"p-golden\","
            + "\"result\":\"accepted\",\"detail\":\"override appeal-1 active\",\"eventId\":\"appr-2\",\"requestId\":\"appeal-1\","
            + "\"state\":\"active\",\"colour\":\"green\",\"expiry\":\"2022-04-12T02:00:00Z\"}";

    public static final String OVERRIDE_AUDIT_SUBJECT = "p-golden";
    public static final String OVERRIDE_AUDIT_CALLER = "op-li";

    private Golden() {}
}
