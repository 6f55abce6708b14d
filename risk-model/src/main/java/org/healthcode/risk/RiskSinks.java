package org.healthcode.risk;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.StatusChange;

/**
 * Where the workflow's three outputs go (statuses, rejected records, the override audit trail): Kafka in the live
 * job, files in replay, collecting sinks in tests.
 */
@FunctionalInterface
public interface RiskSinks {
    void attach(DataStream<StatusChange> statuses, DataStream<Rejected> rejected, DataStream<AuditRecord> audit);
}
