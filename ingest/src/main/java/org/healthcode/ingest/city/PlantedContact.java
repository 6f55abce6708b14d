package org.healthcode.ingest.city;

/**
 * Ground truth of one planted encounter with the planted case: who, what contact detection must make of it
 * (an exposure kind, or {@code none} for a near-miss), where, and why.
 *
 * @param person resident index of the planted person (beyond the city's residents: they exist only for this)
 * @param casePerson resident index of the planted case
 * @param expected the exposure kind contact detection must find (DESIGN §3 with default rules): {@code companion},
 *     {@code venue_co_visit}, {@code same_vehicle_close}, {@code same_vehicle_rest}; {@code none} for a near-miss
 * @param place venue or vehicle id; for a phone encounter, null (see {@code lat}/{@code lon})
 * @param lat phone encounters: where the person's phone pinged (WGS 84), else NaN
 * @param lon phone encounters: longitude, else NaN
 * @param why what was planted, in words (e.g. "9 minutes in the case's cell")
 */
public record PlantedContact(
        int person, int casePerson, String expected, String place, double lat, double lon, String why) {
    public static final String NONE = "none";

    public boolean isNearMiss() {
        return NONE.equals(expected);
    }
}
