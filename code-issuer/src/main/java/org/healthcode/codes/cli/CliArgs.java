package org.healthcode.codes.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal {@code --name value} parsing for the thin command-line mains; unknown options are errors. */
final class CliArgs {
    private final Map<String, List<String>> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    CliArgs(String[] args, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            } else {
                positional.add(a);
            }
        }
    }

    String get(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    List<String> positional() {
        return positional;
    }
}
