package org.healthcode.interop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static final Set<Role> ANY = EnumSet.allOf(Role.class);

    @Test
    void everyPathTemplateLeadsToItsOwnRoute() {
        for (Route route : Route.values()) {
            for (String template : route.paths()) {
                String path = template.replaceAll("\\{[^}]*}", "x1");
                assertThat(Route.match(path)).as(path).contains(route);
            }
        }
    }

    @Test
    void everyRouteNamesAHandlerThatExists() {
        for (Route route : Route.values()) {
            for (String handler : route.handler().split(",\\s*")) {
                assertThatCode(() -> Class.forName("org.healthcode.interop." + handler))
                        .as(route.name())
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void rolesAreTheAccessRules() {
        assertThat(roles("/v1/status/pa-1"))
                .contains(EnumSet.of(Role.APP, Role.CHECKPOINT, Role.REGION, Role.OPERATOR));
        assertThat(roles("/v1/status:batch")).contains(EnumSet.of(Role.CHECKPOINT, Role.REGION, Role.OPERATOR));
        assertThat(roles("/v1/audit/me/pa-1")).contains(EnumSet.of(Role.APP));
        assertThat(roles("/v1/audit")).contains(EnumSet.of(Role.OPERATOR));
        assertThat(roles("/v1/verify")).contains(EnumSet.of(Role.CHECKPOINT, Role.OPERATOR));
        assertThat(roles("/v1/verify-image")).contains(EnumSet.of(Role.CHECKPOINT, Role.OPERATOR));
        assertThat(roles("/v1/codes")).contains(EnumSet.of(Role.APP, Role.OPERATOR));
        assertThat(roles("/v1/codes/pa-1")).contains(EnumSet.of(Role.APP, Role.OPERATOR));
        assertThat(roles("/v1/codes/pa-1/qr.svg")).contains(EnumSet.of(Role.APP, Role.OPERATOR));
        assertThat(roles("/v1/exchange/risk-persons")).contains(EnumSet.of(Role.REGION));
        assertThat(roles("/v1/exchange/outbox")).contains(EnumSet.of(Role.OPERATOR));
        assertThat(roles("/v1/overrides")).contains(EnumSet.of(Role.OPERATOR));
        assertThat(roles("/v1/overrides/req-1/approve")).contains(EnumSet.of(Role.OPERATOR));
        assertThat(roles("/v1/trust-list/registrations")).contains(EnumSet.of(Role.REGION));
        assertThat(roles("/v1/corrections/me/pa-1:file")).contains(EnumSet.of(Role.APP));
        assertThat(roles("/v1/corrections/me/pa-1")).contains(EnumSet.of(Role.APP));
        assertThat(roles("/v1/corrections")).contains(EnumSet.of(Role.OPERATOR));
        assertThat(roles("/v1/corrections/cor-1/approve")).contains(EnumSet.of(Role.OPERATOR));
        // signed lists: any credentialed caller
        assertThat(roles("/v1/trust-list")).contains(ANY);
        assertThat(roles("/v1/trust-list.json")).contains(ANY);
        assertThat(roles("/v1/trust-list/national")).contains(ANY);
        assertThat(roles("/v1/trust-list/crl")).contains(ANY); // signed by the CA
        // open: health, metrics and the pages (which hold nothing until a credentialed call fills them)
        for (String open : new String[] {"/health", "/metrics", "/app", "/app/pa-1", "/checkpoint", "/web/app.js"}) {
            assertThat(roles(open)).as(open).isEmpty();
        }
        // unknown paths: credentials under /v1/ (then 404), none elsewhere
        assertThat(roles("/v1/nothing-here")).contains(ANY);
        assertThat(roles("/v1/overridesX")).contains(ANY);
        assertThat(roles("/favicon.ico")).isEmpty();
    }

    @Test
    void bodyLimitsFollowTheRoute() {
        assertThat(RequestLimits.maxBody("/v1/verify-image")).isEqualTo(8 * 1024 * 1024);
        assertThat(RequestLimits.maxBody("/v1/verify")).isEqualTo(16 * 1024);
        assertThat(RequestLimits.maxBody("/v1/codes")).isEqualTo(16 * 1024);
        assertThat(RequestLimits.maxBody("/v1/codes/pa-1")).isEqualTo(16 * 1024);
        assertThat(RequestLimits.maxBody("/v1/status:batch")).isEqualTo(64 * 1024);
        assertThat(RequestLimits.maxBody("/v1/nothing-here")).isEqualTo(64 * 1024);
    }

    @Test
    void theMostSpecificTemplateWins() {
        assertThat(Route.match("/v1/codes/pa-1/qr.png")).contains(Route.CODE_QR);
        assertThat(Route.match("/v1/codes/qr.png")).contains(Route.CODE);
        assertThat(Route.match("/v1/audit/me/pa-1")).contains(Route.AUDIT_OF_PERSON);
        assertThat(Route.match("/v1/status:batch")).contains(Route.STATUS_BATCH);
        assertThat(Route.match("/v1/trust-list/registrations")).contains(Route.HUB_REGISTRATION);
        assertThat(Route.match("/v1/trust-list/crl")).contains(Route.HUB_CRL);
        assertThat(Route.match("/v1/statusx")).isEmpty();
        assertThat(Route.match("/v1/corrections/me/pa-1:file")).contains(Route.CORRECTION_FILE);
        assertThat(Route.match("/v1/corrections/me/pa-1")).contains(Route.CORRECTIONS_OF_PERSON);
        assertThat(Route.match("/v1/corrections/cor-1/take")).contains(Route.CORRECTION_DECISION);
    }

    private static Optional<Set<Role>> roles(String path) {
        return AccessPolicy.rolesFor(Route.match(path).orElse(null), path);
    }
}
