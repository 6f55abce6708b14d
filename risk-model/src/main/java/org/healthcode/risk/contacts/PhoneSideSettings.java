package org.healthcode.risk.contacts;

import java.io.Serializable;

/**
 * How much the phone side ({@link PhoneStayBuilder}) keeps in heap: sizes, not rules. They change the job's memory
 * and its cost per ping, never its results (the tests compare the stays of an operator with tiny limits against one
 * with unlimited room); so they are job options ({@code RiskJob --phone-cache, --pings-in-heap, --quiet-barriers}),
 * not part of the versioned rule set.
 *
 * @param phoneCache phones whose state stays cached in heap across checkpoints, per subtask; above it the cache is
 *     written back and emptied at the next checkpoint.
 * @param quietBarriers checkpoint barriers a changed phone must pass without changing again before it is written back
 *     to keyed state; until then each checkpoint carries it in raw keyed state. 0 writes every changed phone back at
 *     every barrier (the cost of a replay at full speed then grows with phones times checkpoints).
 * @param pingsInHeap pings that wait in heap for the bindings' clock, per subtask (also written into every
 *     checkpoint); the others wait in keyed state, one RocksDB write and read each.
 */
public record PhoneSideSettings(int phoneCache, int quietBarriers, int pingsInHeap) implements Serializable {

    /** The defaults: 1 M phones cached, written back after one quiet barrier, 1 M pings waiting in heap. */
    public static final PhoneSideSettings DEFAULTS = new PhoneSideSettings(1_000_000, 1, 1_000_000);

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
    }
}
