package org.healthcode.risk.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.contacts.LongStayClause;

/**
 * Reads a rule set from its JSON file form and validates it, reporting every problem at once with the path of
 * the offending field (e.g. {@code conditions.close_contact.phases[0].hours}). The format is documented in
 * docs/risk-model.md, "The rule-set file"; {@code rules/default-rules.json} is the complete example.
 */
public final class RuleSetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RuleSetJson() {}

    public static RuleSet parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidRuleSetException(List.of("not JSON: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidRuleSetException(List.of("the rule set must be a JSON object"));
        }
        String version = text(root, "version", "version", problems);
        long lateness = hours(root, "allowedLatenessHours", "allowedLatenessHours", problems);
        Map<ReasonCode, ConditionRule> rules = new EnumMap<>(ReasonCode.class);
        JsonNode conditions = root.get("conditions");
        if (conditions == null || !conditions.isObject()) {
            problems.add("conditions: missing (an object with one entry per reason code)");
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = conditions.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "conditions." + e.getKey();
                var reason = ReasonCode.fromWire(e.getKey());
                if (reason.isEmpty() || reason.get() == ReasonCode.OVERRIDE) {
                    problems.add(path + ": unknown reason code");
                    continue;
                }
                ConditionRule rule = condition(e.getValue(), path, problems);
                if (rule != null) {
                    rules.put(reason.get(), rule);
                }
            }
            for (ReasonCode r : ReasonCode.values()) {
                if (r != ReasonCode.OVERRIDE && !conditions.has(r.wireName())) {
                    problems.add("conditions." + r.wireName() + ": missing");
                }
            }
        }
        ContactRules contacts = contacts(root.get("contacts"), problems);
        long overrideMax = root.has("overrideMaxHours")
                ? hours(root, "overrideMaxHours", "overrideMaxHours", problems)
                : RuleSet.DEFAULT_OVERRIDE_MAX_HOURS;
        if (overrideMax < 1) {
            problems.add("overrideMaxHours: must be at least 1");
        }
        double fever = RuleSet.DEFAULT_DECLARED_FEVER_CELSIUS;
        if (root.has("declaredFeverCelsius")) {
            JsonNode v = root.get("declaredFeverCelsius");
            if (!v.isNumber() || !(v.asDouble() >= 35 && v.asDouble() <= 42)) {
                problems.add("declaredFeverCelsius: must be a number from 35 to 42");
            } else {
                fever = v.asDouble();
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRuleSetException(problems);
        }
        return new RuleSet(version, lateness, rules, contacts, overrideMax, fever);
    }

    private static final long MINUTE = 60_000L;

    /** The {@code contacts} section: DESIGN §3's contact parameters, in the units their names say. */
    private static ContactRules contacts(JsonNode n, List<String> problems) {
        if (n == null || !n.isObject()) {
            problems.add("contacts: missing (an object with the contact-detection parameters)");
            return null;
        }
        int before = problems.size();
        double cell = number(n, "cellSizeMeters", problems);
        double lat = number(n, "originLat", problems);
        double lon = number(n, "originLon", problems);
        long gap = hours(n, "stayGapMinutes", "contacts.stayGapMinutes", problems) * MINUTE;
        long overlap = hours(n, "companionMinOverlapMinutes", "contacts.companionMinOverlapMinutes", problems) * MINUTE;
        long lookBack = hours(n, "lookBackHours", "contacts.lookBackHours", problems) * 60 * MINUTE;
        long longStay = hours(n, "longStayHours", "contacts.longStayHours", problems) * 60 * MINUTE;
        LongStayClause clause = null;
        JsonNode c = n.get("longStayClause");
        try {
            clause = LongStayClause.valueOf(c == null ? "" : c.asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("contacts.longStayClause: must be and, or or off");
        }
        long venue = hours(n, "venueWindowMinutes", "contacts.venueWindowMinutes", problems) * MINUTE;
        long lead = hours(n, "infectiousLeadHours", "contacts.infectiousLeadHours", problems) * 60 * MINUTE;
        long rows = hours(n, "flightRowWindow", "contacts.flightRowWindow", problems);
        if (problems.size() > before) {
            return null;
        }
        ContactRules r =
                new ContactRules(cell, lat, lon, gap, overlap, lookBack, longStay, clause, venue, lead, (int) rows);
        for (String p : r.problems()) {
            problems.add("contacts." + p);
        }
        return r;
    }

    private static double number(JsonNode parent, String name, List<String> problems) {
        JsonNode v = parent.get(name);
        if (v == null || !v.isNumber()) {
            problems.add("contacts." + name + ": must be a number");
            return 0;
        }
        return v.asDouble();
    }

    private static ConditionRule condition(JsonNode n, String path, List<String> problems) {
        if (!n.isObject()) {
            problems.add(path + ": must be an object");
            return null;
        }
        int before = problems.size();
        Colour hold = null;
        if (n.has("hold") && !n.get("hold").isNull()) {
            hold = colour(n.get("hold"), path + ".hold", problems);
        }
        List<Phase> phases = new ArrayList<>();
        JsonNode ps = n.get("phases");
        if (ps == null || !ps.isArray() || ps.isEmpty()) {
            problems.add(path + ".phases: missing (a non-empty array of {colour, hours})");
        } else {
            for (int i = 0; i < ps.size(); i++) {
                String pp = path + ".phases[" + i + "]";
                Colour c = colour(ps.get(i).get("colour"), pp + ".colour", problems);
                long h = hours(ps.get(i), "hours", pp + ".hours", problems);
                if (c == Colour.GREEN) {
                    problems.add(pp + ".colour: a phase must be yellow or red");
                }
                phases.add(new Phase(c, h));
            }
        }
        ExitRequirement exit = null;
        JsonNode x = n.get("exit");
        if (x == null || !x.isObject()) {
            problems.add(path + ".exit: missing (an object with kind)");
        } else {
            JsonNode kind = x.get("kind");
            ExitKind k = null;
            try {
                k = ExitKind.fromWire(kind == null ? null : kind.asText());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".exit.kind: must be one of none, negative_test, two_negative_tests, "
                        + "negative_single_tube, any_test");
            }
            long min = x.has("minApartHours") ? hours(x, "minApartHours", path + ".exit.minApartHours", problems) : 0;
            long max = x.has("maxApartHours") ? hours(x, "maxApartHours", path + ".exit.maxApartHours", problems) : 0;
            if (k == ExitKind.TWO_NEGATIVE_TESTS && max > 0 && max < min) {
                problems.add(path + ".exit.maxApartHours: less than minApartHours");
            }
            exit = new ExitRequirement(k, min, max);
        }
        return problems.size() == before ? new ConditionRule(hold, phases, exit) : null;
    }

    private static String text(JsonNode parent, String name, String path, List<String> problems) {
        JsonNode v = parent.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(path + ": missing (a non-empty string)");
            return null;
        }
        return v.asText();
    }

    /** A whole number >= 0 (hours, minutes or a count, as the field's name says). */
    private static long hours(JsonNode parent, String name, String path, List<String> problems) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            String unit = name.endsWith("Minutes") ? "minutes" : name.endsWith("Hours") ? "hours" : "";
            problems.add(path + ": must be a whole number" + (unit.isEmpty() ? "" : " of " + unit) + " >= 0");
            return 0;
        }
        return v.asLong();
    }

    private static Colour colour(JsonNode v, String path, List<String> problems) {
        try {
            return Colour.fromWire(v == null ? null : v.asText());
        } catch (IllegalArgumentException e) {
            problems.add(path + ": must be green, yellow or red");
            return null;
        }
    }
}
