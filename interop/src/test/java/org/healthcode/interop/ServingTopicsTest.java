package org.healthcode.interop;

import static org.assertj.core.api.Assertions.assertThat;

import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.contracts.topics.TopicCatalogue.Party;
import org.junit.jupiter.api.Test;

class ServingTopicsTest {
    @Test
    void theServingProcessCreatesOnlyTopicsTheCatalogueSaysItReadsOrWrites() {
        for (String name : InteropServing.TOPICS) {
            assertThat(TopicCatalogue.get(name).usedBy(Party.SERVING)).as(name).isTrue();
        }
        assertThat(TopicCatalogue.get("audit").writers()).contains(Party.HUB);
    }
}
