package org.healthcode.risk.contacts;

/** What a {@link PersonActivity} records: a phone stay in a cell, a venue scan, or a trip. */
public enum ActivityKind {
    STAY,
    SCAN,
    TRIP
}
