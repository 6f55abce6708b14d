package org.healthcode.risk;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.StatusChange;

/** Where the workflow's two outputs go: Kafka in the live job, files in replay, collecting sinks in tests. */
@FunctionalInterface
public interface RiskSinks {
    void attach(DataStream<StatusChange> statuses, DataStream<Rejected> rejected);
}
