package org.healthcode.interop.http;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.healthcode.interop.security.Role;

/**
 * Which roles may call a path, as {@link Route} lists them. A path no route matches needs credentials of any role
 * under {@code /v1/} (it is answered 404 once authenticated) and none elsewhere.
 */
public final class AccessPolicy {
    private static final Set<Role> ANY = EnumSet.allOf(Role.class);

    private AccessPolicy() {}

    /** The roles admitted to {@code path}'s route, or empty when no authentication is needed. */
    public static Optional<Set<Role>> rolesFor(Route route, String path) {
        if (route == null) {
            return path.startsWith("/v1/") ? Optional.of(ANY) : Optional.empty();
        }
        return route.access() == Route.Access.OPEN ? Optional.empty() : Optional.of(route.roles());
    }

    /** Roles that see only colour, since, validity and issuing region: never reasons, events or regional ids. */
    public static boolean seesMinimalStatus(Role role) {
        return role == Role.CHECKPOINT || role == Role.REGION;
    }
}
