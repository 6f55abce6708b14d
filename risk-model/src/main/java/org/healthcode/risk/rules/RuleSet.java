package org.healthcode.risk.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.healthcode.risk.contacts.ContactRules;

/**
 * A versioned rule set: every parameter of the DESIGN §3 table (one {@link ConditionRule} per reason code) and the
 * allowed lateness of events. Every status change records the version that decided it.
 *
 * @param version stable name of this rule set, e.g. {@code 2022.1-default}
 * @param allowedLatenessHours events whose time is more than this behind the event-time watermark are rejected
 *     with category {@code late}; events behind the watermark but within it are applied when they arrive
 * @param conditions the rule of every computed condition (all reason codes but {@code override})
 * @param contacts the parameters of contact detection (grid cell, companion clause, venue window, row window...)
 * @param overrideMaxHours the longest a manual override may last, from its request to its expiry
 *     ({@code overrideMaxHours}, default {@value #DEFAULT_OVERRIDE_MAX_HOURS}); a request for longer is refused
 * @param declaredFeverCelsius a health declaration with a temperature at or above this (or the symptom fever) is a
 *     declared fever ({@code declaredFeverCelsius}, default {@value #DEFAULT_DECLARED_FEVER_CELSIUS})
 */
public record RuleSet(
        String version,
        long allowedLatenessHours,
        Map<ReasonCode, ConditionRule> conditions,
        ContactRules contacts,
        long overrideMaxHours,
        double declaredFeverCelsius)
        implements Serializable {

    /** 37.3 °C: the fever of the national prevention and control guidelines. */
    public static final double DEFAULT_DECLARED_FEVER_CELSIUS = 37.3;

    /** 14 days: an override is a bridge until the feeds catch up, renewed by a new review if it must last. */
    public static final long DEFAULT_OVERRIDE_MAX_HOURS = 14 * 24;

    public RuleSet(
            String version,
            long allowedLatenessHours,
            Map<ReasonCode, ConditionRule> conditions,
            ContactRules contacts) {
        this(version, allowedLatenessHours, conditions, contacts, DEFAULT_OVERRIDE_MAX_HOURS);
    }

    public RuleSet(
            String version,
            long allowedLatenessHours,
            Map<ReasonCode, ConditionRule> conditions,
            ContactRules contacts,
            long overrideMaxHours) {
        this(version, allowedLatenessHours, conditions, contacts, overrideMaxHours, DEFAULT_DECLARED_FEVER_CELSIUS);
    }

    public long overrideMaxMillis() {
        return overrideMaxHours * 3_600_000L;
    }

    /** The class-path resource holding the DESIGN §3 defaults. */
    public static final String DEFAULT_RESOURCE = "/rules/default-rules.json";

    public RuleSet {
        EnumMap<ReasonCode, ConditionRule> copy = new EnumMap<>(ReasonCode.class);
        copy.putAll(conditions);
        conditions = copy;
    }

    public ConditionRule rule(ReasonCode reason) {
        ConditionRule r = conditions.get(reason);
        if (r == null) {
            throw new IllegalStateException("rule set " + version + " has no rule for " + reason.wireName());
        }
        return r;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessHours * 3_600_000L;
    }

    /** The defaults of DESIGN §3, shipped as {@code rules/default-rules.json}. */
    public static RuleSet defaults() {
        return RuleSetJson.parse(defaultJson());
    }

    /** The JSON text of the defaults. */
    public static byte[] defaultJson() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + DEFAULT_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }
}
