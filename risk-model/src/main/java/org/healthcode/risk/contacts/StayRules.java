package org.healthcode.risk.contacts;

/**
 * The rules that turn one phone's pings into {@link Stay}s, without Flink: each method takes the phone's state and
 * returns the next one, reporting the stays that end to an {@link Outcome}. {@link PhoneStayBuilder} decides when a
 * step happens (its clock) and keeps the state; the rules decide what a step does.
 *
 * <p>A ping is attributed to the binding in force at its own time (a binding at the ping's millisecond counts).
 * Consecutive pings in one cell of one person form a stay from the first to the last; a gap longer than the rule
 * set's stay gap, a ping in another cell, or a ping after a re-binding to another person ends it. A binding that
 * arrives behind the clock and is newer than the one in force there ends the open stay at once if it names another
 * person. Stays of a single ping (zero length) are not reported: they cannot overlap anything. Of several pings of one
 * phone at one millisecond, the same cell is a duplicate (the first to arrive counts) and different cells keep the
 * smaller event id.
 */
public final class StayRules {
    /** What a step reports besides the phone's next state. */
    public interface Outcome {
        /** A stay that ended, stamped with the time of the step that ended it. */
        void stay(Stay stay, long timestamp);

        /** A ping with no binding at its time: dropped. */
        void unboundPing();
    }

    private final long stayGapMillis;

    public StayRules(long stayGapMillis) {
        this.stayGapMillis = stayGapMillis;
    }

    /**
     * One step of a phone at {@code t}: the gap check (an open stay whose last ping is more than the gap before
     * {@code t} ends), then {@code ping} if there is one (null: a gap deadline alone).
     *
     * @param st the phone's state, or null when it has none
     * @return the next state (the same instance when nothing changed; null stays null without a binding)
     */
    public PhoneState step(String msisdn, PhoneState st, long t, PhoneSignal ping, Outcome out) {
        if (st != null && st.open() != null && t - st.open().to() > stayGapMillis) {
            emit(msisdn, st.open(), t, out);
            st = st.withOpen(null);
        }
        return ping == null ? st : applyPing(msisdn, st, ping, t, out);
    }

    private PhoneState applyPing(String msisdn, PhoneState st, PhoneSignal p, long t, Outcome out) {
        PhoneBinding b = st == null ? null : st.bindingAt(t);
        PhoneState.OpenStay open = st == null ? null : st.open();
        if (b == null) {
            out.unboundPing();
            if (open != null) { // the phone's binding was dropped from the history (see PhoneState.MAX_BINDINGS)
                emit(msisdn, open, t, out);
                return st.withOpen(null);
            }
            return st;
        }
        st = st.withoutBindingsBefore(t);
        if (open != null && open.cell() == p.cell() && open.personId().equals(b.personId())) {
            return st.withOpen(open.extendedTo(t, p.eventId()));
        }
        if (open != null) {
            emit(msisdn, open, t, out); // another cell, or the phone is someone else's now
        }
        return st.withOpen(new PhoneState.OpenStay(b.personId(), p.cell(), t, t, p.eventId(), p.eventId(), 1));
    }

    /**
     * An identity binding recorded at once, whatever the clock: one after {@code clock} takes effect for the pings at
     * or after its time; one at or behind it that is newer than the binding in force there holds from the clock on
     * (the pings up to the clock are attributed already) and ends the open stay if it names another person; an older
     * one arriving late never overrides a newer one.
     *
     * @param st the phone's state, or null when it has none
     * @return the next state ({@code st} itself when the binding changes nothing)
     */
    public PhoneState bind(String msisdn, PhoneState st, PhoneBinding b, long clock, Outcome out) {
        PhoneState s = st == null ? PhoneState.EMPTY : st;
        if (b.since() > clock) {
            return s.withBinding(b);
        }
        PhoneBinding inForce = s.bindingAt(clock);
        if (inForce != null && PhoneState.BINDING_ORDER.compare(inForce, b) >= 0) {
            return st;
        }
        s = s.withBinding(b).withoutBindingsBefore(clock);
        PhoneState.OpenStay open = s.open();
        if (open != null && !open.personId().equals(b.personId())) {
            emit(msisdn, open, b.since(), out);
            s = s.withOpen(null);
        }
        return s;
    }

    /** Whether a ping behind the clock only repeats a ping of the phone's open stay (then it is not late). */
    public static boolean repeatsOpenStay(PhoneState st, PhoneSignal ping) {
        PhoneState.OpenStay open = st == null ? null : st.open();
        return open != null && open.cell() == ping.cell() && ping.time() >= open.from() && ping.time() <= open.to();
    }

    /**
     * Of the pings of one phone at one millisecond ({@code sorted[from, to)}), the one that counts: the same cell is a
     * duplicate (the first to arrive counts), different cells keep the smaller event id.
     */
    public static PhoneSignal pingOfOneMillisecond(PhoneSignal[] sorted, int from, int to) {
        PhoneSignal ping = null;
        for (int j = from; j < to; j++) {
            PhoneSignal s = sorted[j];
            if (ping == null || (ping.cell() != s.cell() && s.eventId().compareTo(ping.eventId()) < 0)) {
                ping = s;
            }
        }
        return ping;
    }

    /**
     * Whether a ping that extended an open stay from {@code was} to {@code now} took it past a progress mark: a
     * length of more than {@code threshold}, then more than {@code threshold + k * period} for each k. Marks depend on
     * the stay alone, so where they fall does not depend on when the clock moved.
     *
     * @param period 0: no marks
     */
    public static boolean passesProgressMark(
            PhoneState.OpenStay was, PhoneState.OpenStay now, long threshold, long period) {
        if (period <= 0 || was == null || now == null || was.from() != now.from() || now.to() <= was.to()) {
            return false;
        }
        return progressMark(now.to() - now.from(), threshold, period)
                > progressMark(was.to() - was.from(), threshold, period);
    }

    /** The last mark a stay of this length has passed: -1 none, k after {@code threshold + k * period}. */
    private static long progressMark(long length, long threshold, long period) {
        return length <= threshold ? -1 : (length - threshold - 1) / period;
    }

    /** When an open stay ends by the gap rule unless a ping comes first: its last ping + the gap + 1 ms. */
    public long gapDeadline(PhoneState.OpenStay open) {
        return open.to() + stayGapMillis + 1;
    }

    private static void emit(String msisdn, PhoneState.OpenStay open, long t, Outcome out) {
        if (open.to() > open.from()) {
            out.stay(open.toStay(msisdn), t);
        }
    }
}
