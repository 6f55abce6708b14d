package org.healthcode.risk.contacts;

/**
 * Consecutive pings of one phone in one grid cell, attributed to the person the phone was bound to at the time.
 *
 * @param msisdn the phone's pseudonym
 * @param personId the person bound to the phone when the stay began (a re-binding ends the stay)
 * @param cell {@code cell:<i>:<j>}
 * @param from time of the first ping, epoch ms
 * @param to time of the last ping, epoch ms
 * @param firstPingId event id of the first ping
 * @param lastPingId event id of the last ping
 * @param pings number of distinct pings in the stay
 */
public record Stay(
        String msisdn,
        String personId,
        String cell,
        long from,
        long to,
        String firstPingId,
        String lastPingId,
        int pings) {
}
