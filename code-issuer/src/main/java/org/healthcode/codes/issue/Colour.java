package org.healthcode.codes.issue;

import java.util.Locale;
import java.util.Optional;

/** The health-code colour, with the small integer that stands for it in the signed claim set. */
public enum Colour {
    GREEN(1),
    YELLOW(2),
    RED(3);

    private final int claimValue;

    Colour(int claimValue) {
        this.claimValue = claimValue;
    }

    public int claimValue() {
        return claimValue;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Colour> byClaimValue(long value) {
        for (Colour c : values()) {
            if (c.claimValue == value) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static Colour parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
