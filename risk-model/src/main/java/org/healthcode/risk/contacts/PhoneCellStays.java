package org.healthcode.risk.contacts;

import java.util.List;

/** The stays of one phone in one grid cell within the look-back window, oldest first. */
public record PhoneCellStays(List<StaySpan> spans) {}
