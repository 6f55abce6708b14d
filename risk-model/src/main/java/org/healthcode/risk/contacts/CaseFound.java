package org.healthcode.risk.contacts;

/**
 * A person became a case (positive single-tube test, or a confirmed or asymptomatic diagnosis), with what contact
 * detection needs to know about it.
 *
 * @param personId the case's pseudonym
 * @param foundTime the earliest positive single-tube sample or confirmed/asymptomatic diagnosis, epoch ms
 * @param onset the earliest onset any diagnosis reported, epoch ms, or null
 * @param firstPositiveSample the earliest positive single-tube sampling time, epoch ms, or null
 * @param causeEventId the event that set {@code foundTime}
 */
public record CaseFound(String personId, long foundTime, Long onset, Long firstPositiveSample, String causeEventId) {

    /** The case's onset, else its first positive sample, else when it was found. */
    public long onsetOrFirstPositive() {
        if (onset != null) {
            return onset;
        }
        return firstPositiveSample != null ? firstPositiveSample : foundTime;
    }
}
