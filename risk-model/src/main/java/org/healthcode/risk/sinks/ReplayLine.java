package org.healthcode.risk.sinks;

/**
 * One output item of a replay on its way to the client that writes the files: a status change, a rejected line,
 * an override audit line, or the latest event time of the input.
 *
 * @param kind {@link #CHANGE}, {@link #REJECTED}, {@link #LATEST_EVENT_TIME} or {@link #AUDIT}
 * @param personId the person (changes)
 * @param time effective time (changes), event time (audit) or the latest event time
 * @param seq per-person sequence number (changes)
 * @param line input line number (rejected)
 * @param json the line to write (changes: the full status JSON; rejected: ingest's rejected-line JSON; audit: the
 *     audit JSON line)
 */
public record ReplayLine(int kind, String personId, long time, long seq, long line, String json) {
    public static final int CHANGE = 0;
    public static final int REJECTED = 1;
    public static final int LATEST_EVENT_TIME = 2;
    public static final int AUDIT = 3;
    public static final int VEHICLE_CASES = 4;
}
