package org.healthcode.risk.rules;

import java.util.Locale;

/** What a condition needs after its last phase before it ends. */
public enum ExitKind {
    /** Nothing: the condition ends when its last phase ends. */
    NONE,
    /** One negative test (single or pooled tube) sampled after the condition started (or after its anchor). */
    NEGATIVE_TEST,
    /** Two negative tests sampled after the start, at least {@code minApartHours} (and at most {@code maxApartHours}, when set) apart. */
    TWO_NEGATIVE_TESTS,
    /** One negative single-tube (not pooled) test sampled after the start. */
    NEGATIVE_SINGLE_TUBE,
    /** Any test result, positive or negative, sampled after the start. */
    ANY_TEST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitKind fromWire(String name) {
        for (ExitKind k : values()) {
            if (k.wireName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an exit kind: " + name);
    }
}
