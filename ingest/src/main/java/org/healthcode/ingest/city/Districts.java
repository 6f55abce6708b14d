package org.healthcode.ingest.city;

import java.util.List;

/** The eleven districts of Guangzhou (GB/T 2260 codes) with rough centres, where the city's households live. */
final class Districts {
    /** One district: code, name, centre. */
    record District(String code, String name, double lat, double lon) {}

    static final String CITY_CODE = "440100";

    static final List<District> ALL = List.of(
            new District("440103", "Liwan", 23.125, 113.244),
            new District("440104", "Yuexiu", 23.129, 113.267),
            new District("440105", "Haizhu", 23.084, 113.318),
            new District("440106", "Tianhe", 23.125, 113.361),
            new District("440111", "Baiyun", 23.198, 113.273),
            new District("440112", "Huangpu", 23.106, 113.459),
            new District("440113", "Panyu", 22.938, 113.384),
            new District("440114", "Huadu", 23.404, 113.220),
            new District("440115", "Nansha", 22.801, 113.525),
            new District("440117", "Conghua", 23.548, 113.586),
            new District("440118", "Zengcheng", 23.261, 113.811));

    private Districts() {}
}
