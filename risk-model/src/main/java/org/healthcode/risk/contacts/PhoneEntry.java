package org.healthcode.risk.contacts;

/**
 * What the phone side holds in heap for one phone: its state while cached ({@link PhoneCache}, and whether it still
 * has to be written back), the gap deadline of its open stay, and the earliest of its pings waiting in keyed state
 * ({@link PingBuffer}). Kept while cached, while the phone has an open stay or while pings of it wait in state.
 */
final class PhoneEntry {
    static final long NO_DEADLINE = Long.MIN_VALUE;
    static final long NONE_WAITING = Long.MAX_VALUE;
    static final long NOT_REPORTED = Long.MIN_VALUE;

    final String msisdn;
    PhoneState state;
    boolean cached;
    boolean dirty;
    long deadline = NO_DEADLINE;
    /** Checkpoint barriers passed since the phone last changed, while it is dirty. */
    int quiet;
    /** The earliest of the phone's pings waiting in keyed state, or {@link #NONE_WAITING}. */
    long waitingFrom = NONE_WAITING;
    /** The last ping of the open stay when it was last reported while open, or {@link #NOT_REPORTED}. */
    long reportedTo = NOT_REPORTED;
    /** Whether the open stay passed a progress mark in the current watermark step. */
    boolean progressed;
    /** The phone's key group, once needed (a raw keyed snapshot). */
    int keyGroup = -1;

    PhoneEntry(String msisdn) {
        this.msisdn = msisdn;
    }

    /** Whether only the cache holds this entry (no open stay, no pings waiting in state). */
    boolean onlyCached() {
        return deadline == NO_DEADLINE && waitingFrom == NONE_WAITING;
    }
}
