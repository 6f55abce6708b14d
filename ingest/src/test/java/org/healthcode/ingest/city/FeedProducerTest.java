package org.healthcode.ingest.city;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

class FeedProducerTest {
    @Test
    void sendsEachEventToItsFeedTopicKeyedByEventIdAndGarbageIsRejected() throws Exception {
        MockProducer<byte[], byte[]> mock =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (FeedProducer producer = new FeedProducer(mock, "gz.")) {
            new SyntheticCity(CityConfig.of(50, 1, 5).withBadRate(0.01)).run(producer);
        }
        List<ProducerRecord<byte[], byte[]>> sent = mock.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .contains("gz.police", "gz.carrier", "gz.health", "gz.venue")
                .allMatch(t -> t.matches("gz\\.(health|police|transport|carrier|venue|reference)"));
        StandardEventDecoder decoder = IngestFixtures.decoder();
        int ok = 0;
        int malformed = 0;
        for (ProducerRecord<byte[], byte[]> r : sent) {
            var d = decoder.decodeProto(r.value(), r.topic(), 0, 0);
            if (d.isOk()) {
                ok++;
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(d.event().eventId());
                assertThat(r.topic()).isEqualTo("gz." + d.event().type().feed().wireName());
            } else if (d.rejected().category().equals("malformed")) {
                malformed++;
            }
        }
        assertThat(ok).isGreaterThan(2000);
        assertThat(malformed).isPositive();
        assertThat(mock.closed()).isTrue();
    }
}
