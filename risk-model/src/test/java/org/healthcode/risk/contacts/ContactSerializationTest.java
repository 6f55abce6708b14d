package org.healthcode.risk.contacts;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every record that flows between operators or sits in state is serialised without Kryo: Flink POJOs, or on the ping
 * path hand-written serializers that give back equal records.
 */
class ContactSerializationTest {

    @Test
    void streamRecordsSerialiseAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(Exposure.class);
    }

    @Test
    void stateRecordsSerialiseAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(CaseFound.class);
        assertSerializedAsPojoWithoutKryo(PhoneBinding.class);
        assertSerializedAsPojoWithoutKryo(StaySpan.class);
        assertSerializedAsPojoWithoutKryo(PhoneCellStays.class);
        assertSerializedAsPojoWithoutKryo(CaseCellStays.class);
    }

    @Test
    void phoneSignalsUseTheirOwnSerializerAndComeBackEqual() throws Exception {
        assertRoundTrip(PhoneSignal.class, PhoneSignal.Serializer.class,
                PhoneSignal.ping("phone-1", 1_649_000_000_000L, GridProjection.pack(-3, 7), "ping:1"),
                PhoneSignal.bind("phone-1", 1_649_000_000_000L, "p-alice", "bind:1"));
    }

    @Test
    void staysAndActivitiesUseTheirOwnSerializerAndComeBackEqual() throws Exception {
        assertRoundTrip(Stay.class, Stay.Serializer.class,
                new Stay("phone-1", "p-alice", "cell:1:-2", 10L, 70L, "ping:1", "ping:3", 3));
        PersonActivity stay = new PersonActivity(ActivityKind.STAY, "p-alice", "cell:1:-2", "phone-1", 10L, 70L,
                "ping:1", null, null, null, null, null, null, null);
        PersonActivity trip = new PersonActivity(ActivityKind.TRIP, "p-alice", "CZ3101@2022-04-01", null, 10L, 70L,
                "trip:1", "flight", true, "7", 12, null, null, null);
        assertRoundTrip(PersonActivity.class, PersonActivity.Serializer.class, stay, trip,
                stay.asCaseCopy(new CaseFound("p-alice", 100L, null, 90L, "test:1"), 5L), new PersonActivity(ActivityKind.SCAN,
                        "p-bob", "venue-1", null, 10L, 10L, "scan:1", null, false, null, null, 1L, 2L, "c:1"));
    }

    @Test
    void phoneStatesUseTheirOwnSerializerAndComeBackEqual() throws Exception {
        PhoneBinding b = new PhoneBinding("p-alice", 5L, "bind:1");
        PhoneState.OpenStay open = new PhoneState.OpenStay("p-alice", GridProjection.pack(10, -20), 10L, 70L,
                "ping:1", "ping:3", 3);
        PhoneBinding later = new PhoneBinding("p-bob", 90L, "bind:2");
        assertRoundTrip(PhoneState.class, PhoneState.Serializer.class, new PhoneState(List.of(b), open),
                new PhoneState(List.of(b, later), open), new PhoneState(List.of(b), null),
                new PhoneState(List.of(), open), PhoneState.EMPTY);
    }

    @SafeVarargs
    private static <T> void assertRoundTrip(Class<T> type, Class<?> serializerClass, T... values) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(serializerClass);
        for (T value : values) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(value, out);
            assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(value);
        }
        TypeSerializer<T> restored = serializer.snapshotConfiguration().restoreSerializer();
        assertThat(restored).isInstanceOf(serializerClass);
    }
}
