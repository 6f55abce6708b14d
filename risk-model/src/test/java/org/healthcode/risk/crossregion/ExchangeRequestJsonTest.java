package org.healthcode.risk.crossregion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The request JSON is the serving process's notice: same idempotency key (a golden value pinned on both sides). */
class ExchangeRequestJsonTest {
    /** The same constant as interop's TwoRegionsTest.GOLDEN_KEY. */
    private static final String GOLDEN_KEY = "4f00f707a2cb799d140b0e6c649bab2c";

    @Test
    void theIdempotencyKeyIsDerivedAsTheServingProcessDerivesIt() {
        ExchangeRequest r = new ExchangeRequest("440000", "310000", "nat-golden", "red", "infection",
                Instant.parse("2022-04-04T01:00:00Z").toEpochMilli(), Instant.parse("2022-04-18T01:00:00Z").toEpochMilli());
        assertThat(ExchangeRequestJson.idempotencyKey(r)).isEqualTo(GOLDEN_KEY);
        assertThat(ExchangeRequestJson.toJson(r)).isEqualTo("{\"idempotencyKey\":\"" + GOLDEN_KEY + "\","
                + "\"fromRegion\":\"440000\",\"toRegion\":\"310000\",\"nationalId\":\"nat-golden\",\"colour\":\"red\","
                + "\"reasonCategory\":\"infection\",\"since\":\"2022-04-04T01:00:00Z\",\"expiry\":\"2022-04-18T01:00:00Z\"}");
    }
}
