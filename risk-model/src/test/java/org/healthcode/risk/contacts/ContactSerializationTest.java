package org.healthcode.risk.contacts;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
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
        assertRoundTrip(
                PhoneSignal.class,
                PhoneSignal.Serializer.class,
                PhoneSignal.ping("phone-1", 1_649_000_000_000L, GridProjection.pack(-3, 7), "ping:1"),
                PhoneSignal.bind("phone-1", 1_649_000_000_000L, "p-alice", "bind:1"));
    }

    @Test
    void aPhoneSignalWrittenToAStreamIsStagedIntoTheSameBytesAsToABuffer() throws Exception {
        PhoneSignal.Serializer serializer = new PhoneSignal.Serializer();
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        DataOutputViewStreamWrapper streamOut = new DataOutputViewStreamWrapper(stream);
        DataOutputSerializer buffer = new DataOutputSerializer(16);
        PhoneSignal[] signals = {
            PhoneSignal.ping("phone-1", 1_649_000_000_000L, GridProjection.pack(-3, 7), "ping:1"),
            PhoneSignal.bind("phone-1", 1_649_000_000_000L, "p-alice", "bind:1"),
            PhoneSignal.ping("电话", 5L, 0L, "x".repeat(70_000))
        }; // larger than the staging buffer kept
        for (PhoneSignal s : signals) {
            serializer.serialize(s, streamOut);
            serializer.serialize(s, buffer);
        }
        streamOut.flush();
        assertThat(stream.toByteArray()).isEqualTo(buffer.getCopyOfBuffer());
        DataInputDeserializer in = new DataInputDeserializer(stream.toByteArray());
        for (PhoneSignal s : signals) {
            assertThat(serializer.deserialize(in)).isEqualTo(s);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void staysAndActivitiesUseTheirOwnSerializerAndComeBackEqual() throws Exception {
        assertRoundTrip(
                Stay.class,
                Stay.Serializer.class,
                new Stay("phone-1", "p-alice", "cell:1:-2", 10L, 70L, "ping:1", "ping:3", 3));
        PersonActivity stay = new PersonActivity(
                ActivityKind.STAY,
                "p-alice",
                "cell:1:-2",
                "phone-1",
                10L,
                70L,
                "ping:1",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        PersonActivity trip = new PersonActivity(
                ActivityKind.TRIP,
                "p-alice",
                "CZ3101@2022-04-01",
                null,
                10L,
                70L,
                "trip:1",
                "flight",
                true,
                "7",
                12,
                null,
                null,
                null);
        PersonActivity[] activities = {
            stay,
            trip,
            stay.asCaseCopy(new CaseFound("p-alice", 100L, null, 90L, "test:1"), 5L),
            new PersonActivity(
                    ActivityKind.SCAN,
                    "p-bob",
                    "venue-1",
                    null,
                    10L,
                    10L,
                    "scan:1",
                    null,
                    false,
                    null,
                    null,
                    1L,
                    2L,
                    "c:1"),
            // pseudonyms (16 bytes), an activity ending before it starts, non-ASCII text
            new PersonActivity(
                    ActivityKind.TRIP,
                    PSEUDONYM_A,
                    "K1@2022-04-01",
                    PSEUDONYM_B,
                    1_649_000_000_000L,
                    1_648_000_000_000L,
                    "trip:漢",
                    "train",
                    null,
                    "车厢 7",
                    -3,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    PSEUDONYM_A)
        };
        assertRoundTrip(PersonActivity.class, PersonActivity.CompactSerializer.class, activities);
        // the earlier format stays readable, and restoring state written with it migrates to the compact one
        PersonActivity.Serializer earlier = new PersonActivity.Serializer();
        for (PersonActivity a : activities) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            earlier.serialize(a, out);
            assertThat(earlier.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(a);
        }
        assertThat(new PersonActivity.CompactSerializerSnapshot()
                        .resolveSchemaCompatibility(earlier.snapshotConfiguration())
                        .isCompatibleAfterMigration())
                .isTrue();
        assertThat(new PersonActivity.CompactSerializerSnapshot()
                        .resolveSchemaCompatibility(new PersonActivity.CompactSerializerSnapshot())
                        .isCompatibleAsIs())
                .isTrue();
    }

    private static final String PSEUDONYM_A = "3q2-7wAAAAAAAAAAAAAAAA";
    private static final String PSEUDONYM_B = "_____________________w";

    @Test
    void aStayKeptByTheCellOrThePersonIndexTakesAboutTwoThirdsOfItsEarlierBytes() throws Exception {
        PersonActivity stay = new PersonActivity(
                ActivityKind.STAY,
                PSEUDONYM_A,
                "cell:1234:-567",
                PSEUDONYM_B,
                1_649_000_000_000L,
                1_649_000_000_000L + 5 * 1_800_000L,
                "ping-12-34567",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        int earlier = serializedSize(new PersonActivity.Serializer(), stay);
        int compact = serializedSize(new PersonActivity.CompactSerializer(), stay);
        assertThat(earlier).isEqualTo(117);
        assertThat(compact).isLessThanOrEqualTo(70);
        assertThat(new PersonActivity.CompactSerializer()
                        .deserialize(
                                new DataInputDeserializer(serialized(new PersonActivity.CompactSerializer(), stay))))
                .isEqualTo(stay);

        StaySpan span = new StaySpan(stay.personId(), stay.msisdn(), stay.from(), stay.to(), stay.eventId());
        TypeSerializer<StaySpan> pojo = org.apache.flink.api.common.typeinfo.Types.POJO(StaySpan.class)
                .createSerializer(new SerializerConfigImpl());
        TypeSerializer<StaySpan> compactSpan = StaySpan.compactType().createSerializer(new SerializerConfigImpl());
        assertThat(compactSpan).isInstanceOf(StaySpan.CompactSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(64);
        compactSpan.serialize(span, out);
        assertThat(compactSpan.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(span);
        assertThat(compactSpan.snapshotConfiguration().restoreSerializer())
                .isInstanceOf(StaySpan.CompactSerializer.class);
        assertThat(out.length()).isLessThanOrEqualTo(serializedSize(pojo, span) * 3 / 4);
    }

    @Test
    void phoneStatesUseTheirOwnSerializerAndComeBackEqual() throws Exception {
        PhoneBinding b = new PhoneBinding("p-alice", 5L, "bind:1");
        PhoneState.OpenStay open =
                new PhoneState.OpenStay("p-alice", GridProjection.pack(10, -20), 10L, 70L, "ping:1", "ping:3", 3);
        PhoneBinding later = new PhoneBinding("p-bob", 90L, "bind:2");
        PhoneState[] states = {
            new PhoneState(List.of(b), open),
            new PhoneState(List.of(b, later), open),
            new PhoneState(List.of(later, b), open),
            new PhoneState(List.of(b), null),
            new PhoneState(List.of(), open),
            PhoneState.EMPTY,
            // the open stay's person is none of the bindings'; extreme cells, times and counts; null and non-ASCII ids
            new PhoneState(
                    List.of(new PhoneBinding("p-bob", Long.MIN_VALUE, null)),
                    new PhoneState.OpenStay(
                            "p-carol",
                            GridProjection.pack(Integer.MIN_VALUE, Integer.MAX_VALUE),
                            -5L,
                            Long.MAX_VALUE - 10,
                            null,
                            "ping:é漢",
                            Integer.MAX_VALUE)),
            new PhoneState(
                    List.of(new PhoneBinding(null, 0L, "")),
                    new PhoneState.OpenStay(
                            null, GridProjection.pack(-1, -1), 1_649_000_000_000L, 1_649_000_000_000L, "", "", 0))
        };
        assertRoundTrip(PhoneState.class, PhoneState.CompactSerializer.class, states);
        // the earlier format stays readable, and restoring state written with it migrates to the compact one
        PhoneState.Serializer earlier = new PhoneState.Serializer();
        for (PhoneState s : states) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            earlier.serialize(s, out);
            assertThat(earlier.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(s);
        }
        assertThat(new PhoneState.CompactSerializerSnapshot()
                        .resolveSchemaCompatibility(earlier.snapshotConfiguration())
                        .isCompatibleAfterMigration())
                .isTrue();
        assertThat(new PhoneState.CompactSerializerSnapshot()
                        .resolveSchemaCompatibility(new PhoneState.CompactSerializerSnapshot())
                        .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void compactPhoneStateIsAtMostTwoThirdsOfTheEarlierFormat() throws Exception {
        // what the phone operator writes back per phone before every checkpoint (docs/contacts.md)
        PhoneState typical = new PhoneState(
                List.of(new PhoneBinding("p123456", 1_648_900_000_000L, "b123456")),
                new PhoneState.OpenStay(
                        "p123456",
                        GridProjection.pack(120, 87),
                        1_649_000_000_000L,
                        1_649_000_000_000L + 5 * 1_800_000L,
                        "g12345678",
                        "g12345999",
                        6));
        int earlier = serializedSize(new PhoneState.Serializer(), typical);
        int compact = serializedSize(new PhoneState.CompactSerializer(), typical);
        assertThat(earlier).isEqualTo(97);
        assertThat(compact).isLessThanOrEqualTo(earlier * 2 / 3);
    }

    @Test
    void compactPhoneStateRejectsBytesItDidNotWrite() {
        PhoneState.CompactSerializer s = new PhoneState.CompactSerializer();
        assertThatThrownBy(() -> s.deserialize(new DataInputDeserializer(new byte[] {(byte) 0x40, 0})))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("unknown header 64");
        assertThatThrownBy(() -> s.deserialize(new DataInputDeserializer(new byte[] {2, 0})))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("unknown header 2");
        assertThatThrownBy(() -> s.deserialize(new DataInputDeserializer(new byte[] {3, 0})))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("0 bindings with header 3");
    }

    @Test
    void idsOutsideAsciiComeBackEqual() throws Exception {
        assertRoundTrip(
                PhoneSignal.class,
                PhoneSignal.Serializer.class,
                PhoneSignal.bind("phone-é", 1_649_000_000_000L, "p-漢字", "bind:\uD83D\uDE00"),
                PhoneSignal.ping("", 1_649_000_000_000L, GridProjection.pack(1, 2), "ping:\u007f\u0080"));
    }

    private static <T> byte[] serialized(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static <T> int serializedSize(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.length();
    }

    @SafeVarargs
    private static <T> void assertRoundTrip(Class<T> type, Class<?> serializerClass, T... values) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(serializerClass);
        for (T value : values) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(value, out);
            assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(value);
        }
        TypeSerializer<T> restored = serializer.snapshotConfiguration().restoreSerializer();
        assertThat(restored).isInstanceOf(serializerClass);
    }
}
