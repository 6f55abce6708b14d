package org.healthcode.contracts.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {
    @Test
    void onlyTheStatusChangelogAndTheCorrectionRequestsAreCompactedAndOnlyRulesKeepTheirOrder() {
        assertThat(TopicCatalogue.all().stream()
                        .filter(TopicCatalogue.Topic::compacted)
                        .map(TopicCatalogue.Topic::name))
                .containsExactlyInAnyOrder("status", "corrections");
        assertThat(TopicCatalogue.all().stream()
                        .filter(TopicCatalogue.Topic::ordered)
                        .map(TopicCatalogue.Topic::name))
                .containsExactly("rules");
    }

    @Test
    void everyTopicHasAWriterAndAReader() {
        for (TopicCatalogue.Topic t : TopicCatalogue.all()) {
            assertThat(t.writers()).as(t.name()).isNotEmpty();
            assertThat(t.readers()).as(t.name()).isNotEmpty();
        }
    }

    @Test
    void aProcessCreatesAnOrderedTopicWithOnePartitionWhateverItAsksFor() {
        NewTopic rules = TopicCatalogue.newTopic("r1-", "rules", Optional.of(2));
        assertThat(rules.name()).isEqualTo("r1-rules");
        assertThat(rules.numPartitions()).isEqualTo(1);
        NewTopic audit = TopicCatalogue.newTopic("", "audit", Optional.of(2));
        assertThat(audit.numPartitions()).isEqualTo(2);
        assertThat(TopicCatalogue.newTopic("", "audit", Optional.empty()).numPartitions())
                .isEqualTo(-1);
    }

    @Test
    void theStatusChangelogIsCreatedCompacted() {
        assertThat(TopicCatalogue.newTopic("", "status", Optional.empty()).configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(TopicCatalogue.newTopic("", "audit", Optional.empty()).configs())
                .isNullOrEmpty();
    }
}
