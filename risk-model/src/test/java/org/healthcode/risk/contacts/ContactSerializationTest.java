package org.healthcode.risk.contacts;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;

/** Every record that flows between operators or sits in state is a Flink POJO serialised without Kryo. */
class ContactSerializationTest {

    @Test
    void streamRecordsSerialiseAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(Exposure.class);
        assertSerializedAsPojoWithoutKryo(Stay.class);
        assertSerializedAsPojoWithoutKryo(PersonActivity.class);
    }

    @Test
    void stateRecordsSerialiseAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(CaseFound.class);
        assertSerializedAsPojoWithoutKryo(PendingPing.class);
        assertSerializedAsPojoWithoutKryo(PhoneBinding.class);
        assertSerializedAsPojoWithoutKryo(StaySpan.class);
        assertSerializedAsPojoWithoutKryo(PhoneCellStays.class);
        assertSerializedAsPojoWithoutKryo(CaseCellStays.class);
    }
}
