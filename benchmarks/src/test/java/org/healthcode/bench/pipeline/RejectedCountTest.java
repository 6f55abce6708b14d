package org.healthcode.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.RejectedRecords;
import org.healthcode.launcher.DemoTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's count of the job's rejections, against a real broker: committed records only, by category. */
class RejectedCountTest {

    @Test
    void countsTheCommittedRejectionsByCategoryAndNotTheAbortedOnes(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            DemoTopics.create(bootstrap);
            assertThat(RejectedCount.byCategory(client(bootstrap), "rejected")).isEmpty();

            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "rejected-count-test");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    producer.send(RejectedRecords.toProducerRecord(
                            "rejected",
                            Rejected.ofKafka(
                                    "carrier", 0, i, "late", "time", "late: time behind the watermark", new byte[] {1
                                    })));
                }
                producer.send(RejectedRecords.toProducerRecord(
                        "rejected",
                        Rejected.ofKafka("health", 1, 9, "malformed", null, "malformed: empty record", new byte[0])));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(RejectedRecords.toProducerRecord(
                        "rejected",
                        Rejected.ofKafka("carrier", 0, 5, "late", "time", "late: aborted", new byte[] {2})));
                producer.flush();
                producer.abortTransaction();
            }
            Map<String, Long> counts = RejectedCount.byCategory(client(bootstrap), "rejected");
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("late", 3L, "malformed", 1L));
        }
    }

    private static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }
}
