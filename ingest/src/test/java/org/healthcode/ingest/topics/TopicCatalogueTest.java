package org.healthcode.ingest.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.ingest.events.Feed;
import org.junit.jupiter.api.Test;

/** Ingest's feeds against the topic catalogue. */
class TopicCatalogueTest {
    @Test
    void everyFeedHasItsTopicAndNamesAreUnique() {
        Set<String> names = new HashSet<>();
        TopicCatalogue.all()
                .forEach(t -> assertThat(names.add(t.name())).as(t.name()).isTrue());
        for (Feed f : Feed.values()) {
            assertThat(names).contains(f.wireName());
        }
    }

    @Test
    void everyAuthorityFeedIsAFeedIngestDecodes() {
        for (TopicCatalogue.Topic t : TopicCatalogue.authorityFeeds()) {
            assertThat(Feed.fromWire(t.name())).as(t.name()).isPresent();
        }
    }
}
