package org.healthcode.risk.contacts;

import java.util.List;

/**
 * A case's stays in one grid cell inside its window [windowStart, found], as the cell's detector remembers them.
 *
 * @param found when the case was found (earliest seen)
 * @param windowStart found - look-back
 * @param causeEventId the event that made the person a case
 * @param spans the case phones' stays in this cell, oldest first
 */
public record CaseCellStays(long found, long windowStart, String causeEventId, List<StaySpan> spans) {}
