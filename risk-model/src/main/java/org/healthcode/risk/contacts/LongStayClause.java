package org.healthcode.risk.contacts;

/** How the 30 h long-stay clause combines with the 10 min shared-stay test for spatio-temporal companions. */
public enum LongStayClause {
    /**
     * Chengdu 2021 default: shared the cell for more than the minimum overlap AND either phone stayed more than the
     * long-stay total in that cell during the look-back window.
     */
    AND,
    /**
     * Broader: shared the cell for more than the minimum overlap, OR shared it at all (a positive overlap) while either
     * phone stayed more than the long-stay total there. Co-presence in time is still required: a phone that passed
     * through the case's home cell on another day is not a companion.
     */
    OR,
    /** The long-stay clause is ignored: shared the cell for more than the minimum overlap. */
    OFF
}
