package org.healthcode.contracts.declarations;

import java.util.regex.Pattern;

/**
 * The event ids of a person's own declarations, derived from the person's pseudonym and the app's declaration id:
 * the serving process that writes a declaration and the decoder that checks it agree here. A declaration sent twice
 * (a retry, a second serving replica, a serving restart) therefore becomes the same event, and the job's event-id
 * de-duplication keeps one. No other feed may use the prefix, so a condition whose causes all carry it rests on the
 * person's word alone (shown as {@code declared} in the status).
 */
public final class DeclarationIds {
    /** The prefix of every declaration event id, and of no other event's. */
    public static final String PREFIX = "decl/";
    /** An app's declaration id: short, URL-safe (a UUID fits). */
    public static final Pattern DECLARATION_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    /** The most areas one itinerary declaration may name. */
    public static final int MAX_STOPS = 20;

    private DeclarationIds() {}

    /** The event id of a health declaration. */
    public static String health(String personId, String declarationId) {
        return PREFIX + "health/" + personId + "/" + declarationId;
    }

    /** The event id of stop {@code stop} (0 and up) of an itinerary declaration. */
    public static String itinerary(String personId, String declarationId, int stop) {
        return PREFIX + "itinerary/" + personId + "/" + declarationId + "/" + stop;
    }

    /** Whether {@code eventId} is a declaration's. */
    public static boolean isDeclaration(String eventId) {
        return eventId != null && eventId.startsWith(PREFIX);
    }
}
