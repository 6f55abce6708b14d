package org.healthcode.interop.http;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.healthcode.interop.security.Role;

/**
 * Which roles may call which endpoint: the one table of access rules. An empty answer means the endpoint is open
 * (health, metrics and the person's pages, which hold nothing until a credentialed call fills them).
 */
public final class AccessPolicy {
    private static final Set<Role> ANY = EnumSet.allOf(Role.class);

    private AccessPolicy() {}

    /** The roles admitted to {@code method path}, or empty when no authentication is needed. */
    public static Optional<Set<Role>> rolesFor(String method, String path) {
        if (path.equals("/health") || path.equals("/metrics") || !path.startsWith("/v1/")) {
            return Optional.empty();
        }
        if (path.equals("/v1/status:batch")) {
            return Optional.of(EnumSet.of(Role.CHECKPOINT, Role.REGION, Role.OPERATOR));
        }
        if (path.startsWith("/v1/status/")) {
            return Optional.of(EnumSet.of(Role.APP, Role.CHECKPOINT, Role.REGION, Role.OPERATOR));
        }
        if (path.startsWith("/v1/audit/me/")) {
            return Optional.of(EnumSet.of(Role.APP));
        }
        if (path.equals("/v1/audit")) {
            return Optional.of(EnumSet.of(Role.OPERATOR));
        }
        if (path.equals("/v1/verify") || path.equals("/v1/verify-image")) {
            return Optional.of(EnumSet.of(Role.CHECKPOINT, Role.OPERATOR));
        }
        if (path.startsWith("/v1/codes")) {
            return Optional.of(EnumSet.of(Role.APP, Role.OPERATOR));
        }
        if (path.equals("/v1/exchange/risk-persons")) {
            return Optional.of(EnumSet.of(Role.REGION));
        }
        if (path.equals("/v1/overrides") || path.startsWith("/v1/overrides/")) {
            return Optional.of(EnumSet.of(Role.OPERATOR));
        }
        if (path.equals("/v1/exchange/outbox")) {
            return Optional.of(EnumSet.of(Role.OPERATOR));
        }
        if (path.equals("/v1/trust-list/registrations")) {
            return Optional.of(EnumSet.of(Role.REGION));
        }
        // the trust list itself (signed, so any credentialed caller) and anything not listed above
        return Optional.of(ANY);
    }

    /** Roles that see only colour, since, validity and issuing region: never reasons, events or regional ids. */
    public static boolean seesMinimalStatus(Role role) {
        return role == Role.CHECKPOINT || role == Role.REGION;
    }
}
