package org.healthcode.risk.crossregion;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.healthcode.risk.events.CrossRegionTerms;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cross-region records in state and between operators are Flink POJOs serialised without Kryo. */
class CrossRegionSerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {CrossRegionTerms.class, ExchangeRequest.class, PushableStatus.class})
    void isAPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
