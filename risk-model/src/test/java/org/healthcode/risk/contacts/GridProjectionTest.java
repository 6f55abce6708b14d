package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fixed local projection and its cell boundaries. */
class GridProjectionTest {

    private final GridProjection grid = new GridProjection(800.0, 23.13, 113.32);

    @Test
    void theOriginIsTheSouthWestCornerOfCellZeroZero() {
        assertThat(grid.cellOf(23.13, 113.32)).isEqualTo("cell:0:0");
    }

    @Test
    void aCellsWestAndSouthEdgesBelongToItAndItsEastEdgeToTheNeighbour() {
        double lat = grid.latAt(400.0);
        assertThat(grid.cellOf(lat, grid.lonAt(799.9))).isEqualTo("cell:0:0");
        assertThat(grid.cellOf(lat, grid.lonAt(800.1))).isEqualTo("cell:1:0");
        assertThat(grid.cellOf(grid.latAt(-0.1), grid.lonAt(400.0))).isEqualTo("cell:0:-1");
        assertThat(grid.cellOf(grid.latAt(1600.1), grid.lonAt(400.0))).isEqualTo("cell:0:2");
    }

    @Test
    void pointsTwoMetresApartAcrossABoundaryFallInNeighbouringCells() {
        double lat = grid.latAt(5 * 800.0 + 300.0);
        String west = grid.cellOf(lat, grid.lonAt(3 * 800.0 - 1.0));
        String east = grid.cellOf(lat, grid.lonAt(3 * 800.0 + 1.0));
        assertThat(west).isEqualTo("cell:2:5");
        assertThat(east).isEqualTo("cell:3:5");
    }

    @Test
    void aCellIsAboutEightHundredMetresOnTheGround() {
        // 0.0072 degrees of latitude is about 800.6 m: two points that far apart are one or two cells apart
        double dy = grid.y(23.20, 113.32) - grid.y(23.20 - 0.0072, 113.32);
        assertThat(dy).isBetween(799.0, 802.0);
        double dx = grid.x(23.13, 113.33) - grid.x(23.13, 113.32);
        assertThat(dx).isBetween(1020.0, 1025.0); // 0.01 deg of longitude at 23.13 N
    }

    @Test
    void theCellSizeIsAParameter() {
        GridProjection coarse = new GridProjection(1600.0, 23.13, 113.32);
        double lat = grid.latAt(400.0);
        assertThat(grid.cellOf(lat, grid.lonAt(1200.0))).isEqualTo("cell:1:0");
        assertThat(coarse.cellOf(lat, coarse.lonAt(1200.0))).isEqualTo("cell:0:0");
    }

    @Test
    void invalidRulesNameEveryBadField() {
        ContactRules bad = new ContactRules(0.0, 95.0, 113.0, 0, -1, 0, 1, null, 1, 1, -1);
        assertThat(bad.problems())
                .hasSize(7)
                .anySatisfy(p -> assertThat(p).startsWith("cellSizeMeters"))
                .anySatisfy(p -> assertThat(p).startsWith("originLat"))
                .anySatisfy(p -> assertThat(p).startsWith("longStayClause"))
                .anySatisfy(p -> assertThat(p).startsWith("flightRowWindow"));
        assertThat(ContactRules.defaults().problems()).isEmpty();
    }

    @Test
    void aCellsTextIdIsTheSameWhetherMadeAfreshOrRemembered() {
        // far more cells than the table of remembered ids holds, twice over, so slots are overwritten and hit
        for (int round = 0; round < 2; round++) {
            for (long i = -150; i < 150; i++) {
                for (long j = -150; j < 150; j++) {
                    long key = GridProjection.pack(i, j);
                    assertThat(GridProjection.cellId(key)).isEqualTo("cell:" + i + ":" + j);
                }
            }
        }
        assertThat(GridProjection.cellId(GridProjection.pack(Integer.MIN_VALUE, Integer.MAX_VALUE)))
                .isEqualTo("cell:" + Integer.MIN_VALUE + ":" + Integer.MAX_VALUE);
    }
}
