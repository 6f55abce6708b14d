package org.healthcode.ingest.city;

/**
 * One synthetic resident, as the feeds know them: a valid ID number, a mobile number (11 digits, as the police
 * register it; the carrier feed writes it as {@code +86...}), a household in a Guangzhou district, a home position,
 * and a workplace ({@code -1} when not employed).
 */
public record Resident(
        int index,
        String idNumber,
        String msisdn,
        int household,
        String homeArea,
        double homeLat,
        double homeLon,
        int workplace) {}
