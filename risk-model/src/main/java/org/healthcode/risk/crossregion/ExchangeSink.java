package org.healthcode.risk.crossregion;

import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the exchange requests go: the {@code exchange-out} topic in the live job, a collecting sink in tests. */
@FunctionalInterface
public interface ExchangeSink {
    void attach(DataStream<ExchangeRequest> requests);
}
