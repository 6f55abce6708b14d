package org.healthcode.ingest.city;

import java.util.List;

/**
 * A day-trip route out of Guangzhou and back: mode, destination, the two vehicles and their times (minutes after
 * the start of the simulated day). Everyone on a route that day shares the vehicles, so same-vehicle contacts occur.
 */
record Route(
        String mode,
        boolean sealed,
        String destArea,
        double destLat,
        double destLon,
        String outVehicle,
        int outDepart,
        int outArrive,
        String backVehicle,
        int backDepart,
        int backArrive) {

    static final List<Route> ALL = List.of(
            new Route(
                    "flight",
                    false,
                    "110000",
                    39.904,
                    116.407,
                    "CZ3101",
                    8 * 60,
                    11 * 60 + 10,
                    "CZ3102",
                    18 * 60,
                    21 * 60 + 10),
            new Route(
                    "flight",
                    false,
                    "310000",
                    31.230,
                    121.473,
                    "CZ3523",
                    7 * 60 + 30,
                    9 * 60 + 40,
                    "CZ3524",
                    19 * 60,
                    21 * 60 + 15),
            new Route(
                    "train",
                    true,
                    "440300",
                    22.543,
                    114.058,
                    "G6301",
                    8 * 60,
                    8 * 60 + 35,
                    "G6302",
                    18 * 60 + 30,
                    19 * 60 + 5),
            new Route("train", true, "420100", 30.593, 114.305, "G1002", 7 * 60, 11 * 60, "G1001", 17 * 60, 21 * 60),
            new Route(
                    "bus",
                    false,
                    "440600",
                    23.022,
                    113.122,
                    "FS01",
                    8 * 60 + 30,
                    9 * 60 + 30,
                    "FS02",
                    17 * 60 + 30,
                    18 * 60 + 30),
            new Route(
                    "bus",
                    false,
                    "441900",
                    23.021,
                    113.752,
                    "DG01",
                    8 * 60,
                    9 * 60 + 15,
                    "DG02",
                    17 * 60 + 45,
                    19 * 60));

    boolean hasRows() {
        return mode.equals("flight");
    }

    boolean hasCarriages() {
        return mode.equals("train");
    }
}
