package org.healthcode.risk;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.PublishedRecord;
import org.healthcode.risk.events.StatusChange;

/**
 * Where the workflow's outputs go (statuses, rejected records, the override audit trail, and the published records
 * the serving process keeps: the vehicles' case records): Kafka in the live job, files in replay, collecting sinks in
 * tests.
 */
@FunctionalInterface
public interface RiskSinks {
    void attach(DataStream<StatusChange> statuses, DataStream<Rejected> rejected, DataStream<AuditRecord> audit);

    /** The vehicles' case records ({@code vehicle-cases}, for the fellow-traveller self-check); dropped unless set. */
    default void attachVehicleCases(DataStream<PublishedRecord> vehicleCases) {}

    /** {@code base}, with the vehicles' case records going to {@code vehicleCases}. */
    static RiskSinks withVehicleCases(RiskSinks base, Consumer<DataStream<PublishedRecord>> vehicleCases) {
        return new RiskSinks() {
            @Override
            public void attach(
                    DataStream<StatusChange> statuses, DataStream<Rejected> rejected, DataStream<AuditRecord> audit) {
                base.attach(statuses, rejected, audit);
            }

            @Override
            public void attachVehicleCases(DataStream<PublishedRecord> records) {
                vehicleCases.accept(records);
            }
        };
    }
}
