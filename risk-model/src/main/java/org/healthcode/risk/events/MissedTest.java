package org.healthcode.risk.events;

/**
 * A person bound to an area under a testing campaign had no test sampled in one of its intervals: found by
 * {@code MissedTestDetector} at the interval's end, an input of the per-person risk state.
 *
 * @param id {@code missed-} + the campaign's event id + {@code @} + the interval's end (epoch ms)
 * @param personId the person
 * @param campaignEventId the {@code test_campaign} event
 * @param intervalStartMs start of the interval with no test
 * @param intervalEndMs its end: when the person turns yellow
 */
public record MissedTest(
        String id, String personId, String campaignEventId, long intervalStartMs, long intervalEndMs) {}
