package org.healthcode.risk.sources;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.healthcode.risk.events.RuleSetUpdate;

/** A {@code rules} topic record as a rule-set update (validated later, by the operator that applies it). */
public class RuleSetDeserializer implements KafkaRecordDeserializationSchema<RuleSetUpdate> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RuleSetUpdate> out) {
        out.collect(
                new RuleSetUpdate(r.topic(), r.partition(), r.offset(), r.value() == null ? new byte[0] : r.value()));
    }

    @Override
    public TypeInformation<RuleSetUpdate> getProducedType() {
        return TypeInformation.of(RuleSetUpdate.class);
    }
}
