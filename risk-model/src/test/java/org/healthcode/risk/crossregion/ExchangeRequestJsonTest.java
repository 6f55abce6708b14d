package org.healthcode.risk.crossregion;

import static org.assertj.core.api.Assertions.assertThat;

import org.healthcode.contracts.testing.Golden;
import org.junit.jupiter.api.Test;

/** The request JSON the job writes to {@code exchange-out} is the contract's pinned notice, byte for byte. */
class ExchangeRequestJsonTest {
    @Test
    void theJobWritesTheNoticeTheServingProcessReads() {
        ExchangeRequest r = new ExchangeRequest(
                Golden.NOTICE_FROM,
                Golden.NOTICE_TO,
                Golden.NOTICE_NATIONAL_ID,
                Golden.NOTICE_COLOUR,
                Golden.NOTICE_CATEGORY,
                Golden.NOTICE_SINCE.toEpochMilli(),
                Golden.NOTICE_EXPIRY.toEpochMilli());
        assertThat(ExchangeRequestJson.idempotencyKey(r)).isEqualTo(Golden.NOTICE_KEY);
        assertThat(ExchangeRequestJson.toJson(r)).isEqualTo(Golden.NOTICE_JSON);
    }
}
