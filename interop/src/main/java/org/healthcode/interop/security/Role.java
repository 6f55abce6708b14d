package org.healthcode.interop.security;

import java.util.Locale;
import java.util.Optional;

/** What an authenticated caller is allowed to be: each endpoint names the roles it admits. */
public enum Role {
    /** The provincial health-code app's backend: full status (with reasons) of this region's residents. */
    APP,
    /** A border or venue checkpoint: colour only; verifies codes. */
    CHECKPOINT,
    /** Another region's engine: the federated view (colour, since, validity, issuing region), risk-person pushes. */
    REGION,
    /** An operator of this engine: audit queries, exchange outbox, full status. */
    OPERATOR,
    /** The national trust-list hub (reserved: no region endpoint admits it yet). */
    HUB;

    /** The lower-case name used in key files, certificates and audit records. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
