package org.healthcode.risk.contacts;

import java.io.Serializable;

/**
 * Maps WGS 84 positions to square grid cells with a fixed local equirectangular projection.
 *
 * <p>x = R * (lon - lon0) * cos(lat0), y = R * (lat - lat0), angles in radians, R = 6 371 008.8 m (mean Earth
 * radius), (lat0, lon0) the rule set's fixed origin. Cell (i, j) = (floor(x / size), floor(y / size)), so a cell's
 * west and south edges belong to it and its east and north edges to the neighbours. Within about 100 km of the origin
 * the east-west scale error is below 1 %, which is the accuracy of carrier cell positions anyway; a province far
 * wider than that should pick an origin per region. The mapping is pure arithmetic on doubles, so replays give the
 * same cells bit for bit.
 */
public final class GridProjection implements Serializable {

    /** Mean Earth radius (IUGG), metres. */
    public static final double EARTH_RADIUS_M = 6_371_008.8;

    private final double cellSizeMeters;
    private final double originLatRad;
    private final double originLonRad;
    private final double cosOriginLat;

    public GridProjection(double cellSizeMeters, double originLat, double originLon) {
        this.cellSizeMeters = cellSizeMeters;
        this.originLatRad = Math.toRadians(originLat);
        this.originLonRad = Math.toRadians(originLon);
        this.cosOriginLat = Math.cos(originLatRad);
    }

    public static GridProjection of(ContactRules rules) {
        return new GridProjection(rules.cellSizeMeters(), rules.originLat(), rules.originLon());
    }

    /** Metres east of the origin. */
    public double x(double lat, double lon) {
        return EARTH_RADIUS_M * (Math.toRadians(lon) - originLonRad) * cosOriginLat;
    }

    /** Metres north of the origin. */
    public double y(double lat, double lon) {
        return EARTH_RADIUS_M * (Math.toRadians(lat) - originLatRad);
    }

    /** The cell's stable text id, {@code cell:<i>:<j>} (used as key and as an exposure's "where"). */
    public String cellOf(double lat, double lon) {
        return cellId(cellKey(lat, lon));
    }

    /**
     * The cell as one number, (i, j) packed as two 32-bit halves: what the ping path carries and compares, so no
     * text is built per ping ({@link #cellId(long)} makes the text once per stay). Same arithmetic as always, so the
     * same cells bit for bit. Indices fit 32 bits: cells are at least 10 m and the Earth is 40 000 km round.
     */
    public long cellKey(double lat, double lon) {
        long i = (long) Math.floor(x(lat, lon) / cellSizeMeters);
        long j = (long) Math.floor(y(lat, lon) / cellSizeMeters);
        return pack(i, j);
    }

    static long pack(long i, long j) {
        return (i << 32) | (j & 0xffff_ffffL);
    }

    /**
     * The text id of a packed cell key. A city's stays fall in a few thousand cells, and formatting the two numbers
     * was a visible share of the phone-stay operator's time (2% of the job's samples at 100 k persons): the ids
     * made last are kept in a small table indexed by the key's hash, each entry the key with its text (immutable, so
     * threads may share the table; a slot another thread overwrote is only a miss).
     */
    public static String cellId(long cellKey) {
        int slot = Long.hashCode(cellKey * 0x9E3779B97F4A7C15L) & (CELL_IDS.length - 1);
        CellText cached = CELL_IDS[slot];
        if (cached != null && cached.key == cellKey) {
            return cached.text;
        }
        String text = cellId(cellKey >> 32, (int) cellKey);
        CELL_IDS[slot] = new CellText(cellKey, text);
        return text;
    }

    private static final CellText[] CELL_IDS = new CellText[1 << 14];

    private record CellText(long key, String text) {}

    public static String cellId(long i, long j) {
        return "cell:" + i + ":" + j;
    }

    /** Inverse of {@link #y}: the latitude that lies {@code metresNorth} of the origin. */
    public double latAt(double metresNorth) {
        return Math.toDegrees(originLatRad + metresNorth / EARTH_RADIUS_M);
    }

    /** Inverse of {@link #x}: the longitude that lies {@code metresEast} of the origin. */
    public double lonAt(double metresEast) {
        return Math.toDegrees(originLonRad + metresEast / (EARTH_RADIUS_M * cosOriginLat));
    }
}
