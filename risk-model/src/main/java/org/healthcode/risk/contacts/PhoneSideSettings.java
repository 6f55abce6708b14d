package org.healthcode.risk.contacts;

import java.io.Serializable;

/**
 * How much the phone side ({@link PhoneStayBuilder}) keeps in heap, and how often it reports a stay still open: sizes
 * and pace, not rules. They change the job's memory, its cost per ping and how soon an open stay is seen, never its
 * results (the tests compare the stays of an operator with tiny limits against one with unlimited room, and an open
 * stay's reports are superseded by the stay itself); so they are job options ({@code RiskJob --phone-cache,
 * --pings-in-heap, --quiet-barriers, --open-stay-progress}), not part of the versioned rule set.
 *
 * @param phoneCache phones whose state stays cached in heap across checkpoints, per subtask; above it the cache is
 *     written back and emptied at the next checkpoint.
 * @param quietBarriers checkpoint barriers a changed phone must pass without changing again before it is written back
 *     to keyed state; until then each checkpoint carries it in raw keyed state. 0 writes every changed phone back at
 *     every barrier (the cost of a replay at full speed then grows with phones times checkpoints).
 * @param pingsInHeap pings that wait in heap for the bindings' clock, per subtask (also written into every
 *     checkpoint); the others wait in keyed state, one RocksDB write and read each.
 * @param openStayProgressMillis how much an open stay grows between two reports of it while it is still open, after
 *     the first once it is longer than the companion overlap (docs/contacts.md, "Open stays"); 0 reports an open stay
 *     only when the carrier feed goes idle.
 */
public record PhoneSideSettings(int phoneCache, int quietBarriers, int pingsInHeap, long openStayProgressMillis)
        implements Serializable {

    /** An open stay is reported again each hour it grows. */
    public static final long DEFAULT_OPEN_STAY_PROGRESS_MILLIS = 3_600_000L;

    /**
     * The defaults: 1 M phones cached, written back after one quiet barrier, 1 M pings waiting in heap, an open stay
     * reported each hour.
     */
    public static final PhoneSideSettings DEFAULTS =
            new PhoneSideSettings(1_000_000, 1, 1_000_000, DEFAULT_OPEN_STAY_PROGRESS_MILLIS);

    /** The sizes, with the default pace of open-stay reports. */
    public PhoneSideSettings(int phoneCache, int quietBarriers, int pingsInHeap) {
        this(phoneCache, quietBarriers, pingsInHeap, DEFAULT_OPEN_STAY_PROGRESS_MILLIS);
    }

    public PhoneSideSettings {
        if (phoneCache < 1) {
            throw new IllegalArgumentException("phoneCache must be at least 1, was " + phoneCache);
        }
        if (quietBarriers < 0) {
            throw new IllegalArgumentException("quietBarriers must not be negative, was " + quietBarriers);
        }
        if (pingsInHeap < 0) {
            throw new IllegalArgumentException("pingsInHeap must not be negative, was " + pingsInHeap);
        }
        if (openStayProgressMillis < 0) {
            throw new IllegalArgumentException(
                    "openStayProgressMillis must not be negative, was " + openStayProgressMillis);
        }
    }
}
