package org.healthcode.risk.events;

/**
 * A testing campaign that may concern a person (their identity binding's area lies under the campaign's area):
 * found by {@code CampaignAssigner}, checked interval by interval by {@code MissedTestDetector}.
 *
 * @param personId the person
 * @param campaignEventId the {@code test_campaign} event
 * @param areaCode the campaign's GB/T 2260 area (prefix coverage)
 * @param fromMs campaign start
 * @param toMs campaign end
 * @param intervalHours everyone in the area must be sampled once in every interval of this many hours from the start
 */
public record CampaignCheck(
        String personId, String campaignEventId, String areaCode, long fromMs, long toMs, int intervalHours) {

    public long intervalMs() {
        return intervalHours * 3_600_000L;
    }

    /** The end of the interval that starts at {@code start} (the last one is cut at the campaign's end). */
    public long intervalEnd(long start) {
        return Math.min(start + intervalMs(), toMs);
    }
}
