package org.healthcode.risk.events;

import org.healthcode.ingest.events.Event;

/**
 * One input of {@code MissedTestDetector}: an identity binding or a test result of the person, or a campaign check.
 * Exactly one is set.
 */
public record MissedTestInput(Event event, CampaignCheck check) {

    public static MissedTestInput of(Event e) {
        return new MissedTestInput(e, null);
    }

    public static MissedTestInput of(CampaignCheck c) {
        return new MissedTestInput(null, c);
    }

    public String personId() {
        return event != null ? event.personId() : check.personId();
    }
}
