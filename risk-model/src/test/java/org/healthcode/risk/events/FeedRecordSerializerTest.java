package org.healthcode.risk.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The hand-written FeedRecord serializer gives back what it was given, field by field. */
class FeedRecordSerializerTest {

    private static FeedRecord roundTrip(FeedRecord r) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        FeedRecordSerializer.INSTANCE.serialize(r, out);
        FeedRecord back = FeedRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        DataOutputSerializer again = new DataOutputSerializer(64);
        FeedRecordSerializer.INSTANCE.serialize(back, again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    /** An event with every field set, each to a value that differs from every other field of its type. */
    private static Event everyFieldSet() throws Exception {
        RecordComponent[] components = Event.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            values[i] = t == String.class
                    ? "s" + i
                    : t == long.class || t == Long.class
                            ? 1_000_000L + i
                            : t == Integer.class
                                    ? 100 + i
                                    : t == Boolean.class
                                            ? i % 2 == 0
                                            : t == Double.class
                                                    ? i + 0.25
                                                    : t == EventType.class
                                                            ? EventType.TRIP
                                                            : t == DiagnosisStatus.class
                                                                    ? DiagnosisStatus.values()[
                                                                            DiagnosisStatus.values().length - 1]
                                                                    : null;
            assertThat(values[i])
                    .as("a test value for %s %s", t, components[i].getName())
                    .isNotNull();
        }
        Constructor<Event> c = Event.class.getDeclaredConstructor(types);
        return c.newInstance(values);
    }

    @Test
    void anEventWithEveryFieldSetComesBackEqual() throws Exception {
        Event e = everyFieldSet();
        byte[] raw = "raw bytes".getBytes(StandardCharsets.UTF_8);
        FeedRecord r = FeedRecord.ofKafka(Decoded.ok(e), "carrier", 1, 42, raw);
        FeedRecord back = roundTrip(r);
        assertThat(back.event()).isEqualTo(e);
        assertThat(back.rejected()).isNull();
        assertThat(back.topic()).isEqualTo("carrier");
        assertThat(back.partition()).isEqualTo(1);
        assertThat(back.offset()).isEqualTo(42);
        assertThat(back.line()).isEqualTo(-1);
        assertThat(back.raw()).isEqualTo(raw);
    }

    @Test
    void anEventWithOnlyItsCommonFieldsComesBackEqual() throws Exception {
        Event e = Fixtures.feverClinicVisit(Fixtures.ALICE, Fixtures.MONDAY_9AM);
        FeedRecord back = roundTrip(FeedRecord.ofLine(Decoded.ok(e), 17, new byte[0]));
        assertThat(back.event()).isEqualTo(e);
        assertThat(back.topic()).isNull();
        assertThat(back.line()).isEqualTo(17);
        assertThat(back.raw()).isEmpty();
    }

    @Test
    void aRejectedRecordComesBackEqualBytesIncluded() throws Exception {
        byte[] raw = "{oops".getBytes(StandardCharsets.UTF_8);
        Rejected rejected = Rejected.ofKafka("health", 0, 7, "malformed", null, "malformed: not JSON", raw);
        FeedRecord back = roundTrip(FeedRecord.ofKafka(Decoded.rejected(rejected), "health", 0, 7, raw));
        assertThat(back.event()).isNull();
        assertThat(back.rejected()).usingRecursiveComparison().isEqualTo(rejected);
        assertThat(back.raw()).isEqualTo(raw);
    }
}
