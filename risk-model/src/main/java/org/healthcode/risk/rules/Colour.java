package org.healthcode.risk.rules;

import java.util.Locale;

/** A health-code colour, ordered by severity (green least severe). */
public enum Colour {
    GREEN,
    YELLOW,
    RED;

    /** The name used in JSON, Protobuf and rule files, e.g. {@code red}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws with the offending value when it is not a colour. */
    public static Colour fromWire(String name) {
        for (Colour c : values()) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("not a colour: " + name);
    }

    public boolean moreSevereThan(Colour other) {
        return compareTo(other) > 0;
    }
}
