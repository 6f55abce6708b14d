package org.healthcode.risk.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options as {@code --name value} pairs (or bare flags), with typed readers that collect problems. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> problems;

    private Args(List<String> problems) {
        this.problems = problems;
    }

    /** Whether {@code args} ask for the usage text ({@code --help} or {@code -h} anywhere). */
    public static boolean helpRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code args}; unknown options and missing values go to {@code problems}. */
    public static Args parse(String[] args, Set<String> options, Set<String> flags, List<String> problems) {
        Args a = new Args(problems);
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (flags.contains(k)) {
                a.values.put(k, "true");
            } else if (options.contains(k)) {
                if (i + 1 >= args.length) {
                    problems.add(k + ": missing value");
                } else {
                    a.values.put(k, args[++i]);
                }
            } else {
                problems.add(k + ": unknown option");
            }
        }
        return a;
    }

    public String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            problems.add(name + ": required");
        }
        return v;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public int positiveInt(String name, int dflt) {
        return intAtLeast(name, dflt, 1, "a positive whole number");
    }

    /** A whole number of at least 0. */
    public int nonNegativeInt(String name, int dflt) {
        return intAtLeast(name, dflt, 0, "a whole number, 0 or more");
    }

    private int intAtLeast(String name, int dflt, int least, String what) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + ": must be " + what + ", got " + v);
        return dflt;
    }

    /** A duration: {@code 1500ms}, {@code 2s}, {@code 5m}, {@code 48h}, a plain number of ms, or ISO-8601 {@code PT2S}. */
    public Duration duration(String name, Duration dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return parseDuration(v);
        } catch (RuntimeException e) {
            problems.add(name + ": not a duration (e.g. 1500ms, 2s, 5m, PT2S): " + v);
            return dflt;
        }
    }

    static Duration parseDuration(String v) {
        String s = v.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - (Character.isDigit(s.charAt(s.length() - 1)) ? 0 : 1)));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofMillis(Long.parseLong(s));
        };
    }
}
