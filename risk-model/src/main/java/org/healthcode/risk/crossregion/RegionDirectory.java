package org.healthcode.risk.crossregion;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which region runs the engine for a GB/T 2260 area code: the longest configured prefix, else the province
 * (the first two digits + {@code 0000}: 310104 -> 310000). Cities that run their own engine are configured, e.g.
 * {@code 4403 440300} for Shenzhen inside Guangdong.
 *
 * <p>File form: one {@code prefix region} per line (1-6 digits, six digits), {@code #} comments and blank lines
 * ignored; every bad line is reported at once.
 */
public final class RegionDirectory implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> byPrefix;

    public RegionDirectory(Map<String, String> byPrefix) {
        this.byPrefix = new LinkedHashMap<>(byPrefix);
    }

    /** Provinces only. */
    public static RegionDirectory provinces() {
        return new RegionDirectory(Map.of());
    }

    public static RegionDirectory read(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        RegionDirectory d = parse(Files.readAllLines(file, StandardCharsets.UTF_8), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return d;
    }

    public static RegionDirectory parse(List<String> lines, List<String> problems) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !parts[0].matches("\\d{1,6}") || !parts[1].matches("\\d{6}")) {
                problems.add("line " + (i + 1) + ": expected 'prefix region' (1-6 digits, 6 digits)");
                continue;
            }
            m.put(parts[0], parts[1]);
        }
        return new RegionDirectory(m);
    }

    /** The region of a six-digit area code; null for anything else. */
    public String regionOf(String areaCode) {
        if (areaCode == null || !areaCode.matches("\\d{6}")) {
            return null;
        }
        for (int len = 6; len >= 1; len--) {
            String r = byPrefix.get(areaCode.substring(0, len));
            if (r != null) {
                return r;
            }
        }
        return areaCode.substring(0, 2) + "0000";
    }
}
