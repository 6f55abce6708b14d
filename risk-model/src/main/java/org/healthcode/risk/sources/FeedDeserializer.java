package org.healthcode.risk.sources;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;

/**
 * Decodes Kafka feed records (Protobuf) inside the source, keeping topic/partition/offset, so timestamps and
 * watermarks are assigned per partition by the source itself. Never throws: bad records become rejections.
 */
public class FeedDeserializer implements KafkaRecordDeserializationSchema<FeedRecord> {
    private final EventDecoder decoder;

    public FeedDeserializer(EventDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FeedRecord> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        out.collect(FeedRecord.ofKafka(decoder.decodeProto(value, record.topic(), record.partition(), record.offset()),
                record.topic(), record.partition(), record.offset(), value));
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
        return FeedRecordSerializer.TYPE;
    }
}
