package org.healthcode.risk.events;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.sources.NumberedLine;
import org.healthcode.risk.state.ConditionState;
import org.healthcode.risk.state.PersonState;
import org.healthcode.risk.state.ReviewState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record that travels between operators or sits in state is a Flink POJO serialised without Kryo. */
class SerializationTest {
    @ParameterizedTest
    @ValueSource(
            classes = {
                Event.class,
                Rejected.class,
                FeedRecord.class,
                NumberedLine.class,
                PersonState.class,
                ConditionState.class,
                StatusChange.class,
                ConditionView.class,
                PersonInput.class,
                RuleSetUpdate.class,
                AreaStay.class,
                OverrideDecision.class,
                OverrideTerms.class,
                ReviewState.class,
                AuditRecord.class,
                CampaignCheck.class,
                MissedTest.class,
                MissedTestInput.class
            })
    void isAPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
