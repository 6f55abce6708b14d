package org.healthcode.risk.contacts;

/**
 * The contacts operators' cleanup timers do nothing once the watermark is at the end of time: that watermark only
 * comes when every input has ended (a bounded replay or benchmark), the job is finishing and its state goes with it,
 * and firing fourteen days of cleanup timers at once (a RocksDB iterator seek per person-hour and per cell, over key
 * ranges full of deletions) cost more than the day's pings themselves (seen in the contacts benchmark: minutes at
 * 500 k phones, growing faster than the data). The timers only remove state; none of them emits anything.
 */
final class EndOfInput {

    private EndOfInput() {}

    static boolean reached(long watermark) {
        return watermark == Long.MAX_VALUE;
    }
}
