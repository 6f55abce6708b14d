package org.healthcode.risk.crossregion;

import java.time.Instant;
import org.healthcode.contracts.exchange.RiskPersonNotice;

/**
 * The notice JSON of docs/interop.md for an {@link ExchangeRequest}: the contract's {@link RiskPersonNotice}, with its
 * content-derived idempotency key, so a request replayed after a restore is the same notice, and the receiver
 * acknowledges it without applying it twice.
 */
public final class ExchangeRequestJson {
    private ExchangeRequestJson() {}

    public static String idempotencyKey(ExchangeRequest r) {
        return notice(r).idempotencyKey();
    }

    public static String toJson(ExchangeRequest r) {
        return notice(r).toJson().toString();
    }

    static RiskPersonNotice notice(ExchangeRequest r) {
        return RiskPersonNotice.of(
                r.fromRegion(),
                r.toRegion(),
                r.nationalId(),
                r.colour(),
                r.reasonCategory(),
                Instant.ofEpochMilli(r.sinceMs()),
                Instant.ofEpochMilli(r.expiryMs()));
    }
}
