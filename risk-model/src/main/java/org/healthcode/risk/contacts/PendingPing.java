package org.healthcode.risk.contacts;

/** A ping waiting in {@link PhoneStayBuilder} for the watermark, so a phone's pings are handled in time order. */
public record PendingPing(String cell, String eventId) {
}
