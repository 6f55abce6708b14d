package org.healthcode.risk;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.PublishedRecord;
import org.healthcode.risk.events.StatusChange;

/**
 * Where the workflow's outputs go (statuses, rejected records, the override audit trail, and the published records
 * the serving process keeps: the vehicles' case records, the risk-area listings): Kafka in the live job, files in replay, collecting sinks in
 * tests.
 */
@FunctionalInterface
public interface RiskSinks {
    void attach(DataStream<StatusChange> statuses, DataStream<Rejected> rejected, DataStream<AuditRecord> audit);

    /** The vehicles' case records ({@code vehicle-cases}, for the fellow-traveller self-check); dropped unless set. */
    default void attachVehicleCases(DataStream<PublishedRecord> vehicleCases) {}

    /** The risk-area listings ({@code risk-areas}, for the serving process's risk-area answers); dropped unless set. */
    default void attachRiskAreas(DataStream<PublishedRecord> listings) {}

    /** {@code base}, with the vehicles' case records going to {@code vehicleCases}. */
    static RiskSinks withVehicleCases(RiskSinks base, Consumer<DataStream<PublishedRecord>> vehicleCases) {
        return withPublished(base, vehicleCases, listings -> {});
    }

    /** {@code base}, with the vehicles' case records and the risk-area listings going where given. */
    static RiskSinks withPublished(
            RiskSinks base,
            Consumer<DataStream<PublishedRecord>> vehicleCases,
            Consumer<DataStream<PublishedRecord>> riskAreas) {
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

            @Override
            public void attachRiskAreas(DataStream<PublishedRecord> listings) {
                riskAreas.accept(listings);
            }
        };
    }
}
