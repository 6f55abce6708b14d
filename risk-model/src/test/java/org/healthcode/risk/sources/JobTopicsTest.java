package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.contracts.topics.TopicCatalogue.Party;
import org.junit.jupiter.api.Test;

class JobTopicsTest {
    @Test
    void theJobCreatesOnlyEngineTopicsTheCatalogueSaysItReadsOrWrites() {
        for (String name : JobTopics.engineTopics(true)) {
            TopicCatalogue.Topic t = TopicCatalogue.get(name);
            assertThat(t.origin()).as(name).isEqualTo(TopicCatalogue.Origin.ENGINE);
            assertThat(t.usedBy(Party.RISK_JOB)).as(name).isTrue();
        }
        assertThat(JobTopics.engineTopics(false)).doesNotContain("exchange-out");
    }
}
