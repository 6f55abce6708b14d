package org.healthcode.contracts.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric names as the operators' files use them and as a process exports them: the names the alert rules and the
 * dashboard under {@code deploy/} select on must be in a scrape of the process that owns them.
 */
public final class PrometheusNames {
    private PrometheusNames() {}

    /** The metric names starting with {@code prefix} (e.g. {@code healthcode_}) in the given files. */
    public static Set<String> usedIn(String prefix, Path... files) throws IOException {
        Pattern name = Pattern.compile("\\b" + Pattern.quote(prefix) + "[A-Za-z0-9_]+");
        Set<String> names = new TreeSet<>();
        for (Path f : files) {
            Matcher m = name.matcher(Files.readString(f));
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The metric names with at least one sample in a scrape (Prometheus text format). */
    public static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }
}
