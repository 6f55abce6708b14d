package org.healthcode.ingest.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.ingest.events.Feed;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {
    @Test
    void everyFeedHasItsTopicAndNamesAreUnique() {
        Set<String> names = new HashSet<>();
        TopicCatalogue.all().forEach(t -> assertThat(names.add(t.name())).as(t.name()).isTrue());
        for (Feed f : Feed.values()) {
            assertThat(names).contains(f.wireName());
        }
    }

    @Test
    void onlyTheStatusChangelogIsCompactedAndRulesKeepTheirOrder() {
        assertThat(TopicCatalogue.all().stream().filter(TopicCatalogue.Topic::compacted).map(TopicCatalogue.Topic::name))
                .containsExactly("status");
        assertThat(TopicCatalogue.get("rules").singlePartition()).isTrue();
    }
}
