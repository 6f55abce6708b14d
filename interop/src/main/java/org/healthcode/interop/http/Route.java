package org.healthcode.interop.http;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.healthcode.interop.security.Role;

/**
 * Every endpoint of the serving process and of the hub: path, method, the roles admitted, the largest body accepted
 * and the handler that answers. Access control ({@link AccessPolicy}), the body limits ({@link RequestLimits}) and
 * every handler read this table; a path no route matches is answered 404 by the last handler.
 *
 * <p>Paths are templates: {@code {name}} stands for any text (slashes included), so {@code /v1/status/{personId}}
 * matches every path that starts with {@code /v1/status/}. The first route that matches wins (the order below).
 * Roles are checked by path alone: a caller whose role the route does not admit is refused 403 whatever the method,
 * and a wrong method of an admitted caller is answered 405 by the handler.
 */
public enum Route {
    // ---- a region's serving process ------------------------------------------------------------------------------
    /** A person's status: full for app and operator, colour only for checkpoint and region. */
    STATUS(
            "GET",
            roles(Role.APP, Role.CHECKPOINT, Role.REGION, Role.OPERATOR),
            Body.DEFAULT,
            "api.ServingHandler",
            "/v1/status/{personId}"),
    /** Up to 100 statuses at once, each as a checkpoint or region sees it. */
    STATUS_BATCH(
            "POST",
            roles(Role.CHECKPOINT, Role.REGION, Role.OPERATOR),
            Body.DEFAULT,
            "api.InteropHandler",
            "/v1/status:batch"),
    /** Who looked this person up (the person's app asks). */
    AUDIT_OF_PERSON("GET", roles(Role.APP), Body.DEFAULT, "api.InteropHandler", "/v1/audit/me/{personId}"),
    /** Audit records by subject or by caller. */
    AUDIT("GET", roles(Role.OPERATOR), Body.DEFAULT, "api.InteropHandler", "/v1/audit"),
    /** Verify a code (text or JSON body); optionally record the checkpoint's venue scan. */
    VERIFY("POST", roles(Role.CHECKPOINT, Role.OPERATOR), Body.CODE, "codes.VerifyHandler", "/v1/verify"),
    /** Verify a picture of a code. */
    VERIFY_IMAGE("POST", roles(Role.CHECKPOINT, Role.OPERATOR), Body.IMAGE, "codes.VerifyHandler", "/v1/verify-image"),
    /** A person's code as a QR image. */
    CODE_QR(
            "GET",
            roles(Role.APP, Role.OPERATOR),
            Body.CODE,
            "codes.CodeHandler",
            "/v1/codes/{personId}/qr.png",
            "/v1/codes/{personId}/qr.svg"),
    /** A person's current signed code. */
    CODE("POST", roles(Role.APP, Role.OPERATOR), Body.CODE, "codes.CodeHandler", "/v1/codes", "/v1/codes/{personId}"),
    /** This region's trust list (its code-signing keys), with an ETag. */
    REGION_TRUST_LIST("GET", Access.ANY_ROLE, Body.DEFAULT, "codes.VerifyHandler", "/v1/trust-list.json"),
    /** A risk-person notice pushed by another region. */
    EXCHANGE_RECEIVE("POST", roles(Role.REGION), Body.DEFAULT, "api.InteropHandler", "/v1/exchange/risk-persons"),
    /** An operator queues a notice for another region. */
    EXCHANGE_OUTBOX("POST", roles(Role.OPERATOR), Body.DEFAULT, "api.InteropHandler", "/v1/exchange/outbox"),
    /** The last good national trust list, for this region's checkpoints. */
    NATIONAL_TRUST_LIST("GET", Access.ANY_ROLE, Body.DEFAULT, "api.InteropHandler", "/v1/trust-list/national"),
    /** Request, approve, refuse or withdraw a manual override. */
    OVERRIDES(
            "POST",
            roles(Role.OPERATOR),
            Body.DEFAULT,
            "overrides.OverridesHandler",
            "/v1/overrides",
            "/v1/overrides/{requestId}/{approve|refuse|withdraw}"),
    /** The person declares their symptoms and temperature (健康申报). */
    DECLARE_HEALTH(
            "POST",
            roles(Role.APP),
            Body.DECLARATION,
            "declarations.DeclarationsHandler",
            "/v1/declarations/{personId}/health"),
    /** The person declares the areas they passed through (行程申报). */
    DECLARE_ITINERARY(
            "POST",
            roles(Role.APP),
            Body.DECLARATION,
            "declarations.DeclarationsHandler",
            "/v1/declarations/{personId}/itinerary"),
    /** The person files a correction request (纠错) about their own colour. */
    CORRECTION_FILE(
            "POST",
            roles(Role.APP),
            Body.DEFAULT,
            "corrections.CorrectionsHandler",
            "/v1/corrections/me/{personId}:file"),
    /** The person's own correction requests, with their states and outcomes. */
    CORRECTIONS_OF_PERSON(
            "GET", roles(Role.APP), Body.DEFAULT, "corrections.CorrectionsHandler", "/v1/corrections/me/{personId}"),
    /** The operators' queue of correction requests. */
    CORRECTION_QUEUE("GET", roles(Role.OPERATOR), Body.DEFAULT, "corrections.CorrectionsHandler", "/v1/corrections"),
    /** An operator takes, proposes a correction for, approves or upholds a correction request. */
    CORRECTION_DECISION(
            "POST",
            roles(Role.OPERATOR),
            Body.DEFAULT,
            "corrections.CorrectionsHandler",
            "/v1/corrections/{id}/{take|propose|approve|uphold}"),
    /** Fellow-traveller self-check: did a case travel on this flight or train, close to me? No account needed. */
    SELF_CHECK("GET", Access.OPEN, Body.DEFAULT, "citizen.CitizenHandler", "/v1/self-check/vehicle"),
    /** The high and medium risk areas in force now (or at {@code ?at=}): public information. */
    RISK_AREAS("GET", Access.OPEN, Body.DEFAULT, "citizen.CitizenHandler", "/v1/risk-areas"),
    /** The risk areas and which of the person's stays overlap one (the person's app asks). */
    RISK_AREAS_OF_PERSON(
            "GET",
            roles(Role.APP, Role.OPERATOR),
            Body.DEFAULT,
            "citizen.CitizenHandler",
            "/v1/risk-areas/me/{personId}"),
    /** The person's page (it holds nothing until a credentialed call fills it). */
    PERSON_PAGE("GET", Access.OPEN, Body.DEFAULT, "codes.PagesHandler", "/app", "/app/{personId}"),
    /** The checkpoint's page. */
    CHECKPOINT_PAGE("GET", Access.OPEN, Body.DEFAULT, "codes.PagesHandler", "/checkpoint"),
    /** The pages' scripts and styles. */
    WEB_ASSET("GET", Access.OPEN, Body.DEFAULT, "codes.PagesHandler", "/web/{file}"),
    /** Prometheus text. */
    METRICS("GET", Access.OPEN, Body.DEFAULT, "api.ServingHandler", "/metrics"),

    // ---- both ------------------------------------------------------------------------------------------------------
    /** Whether the process answers (the region's view and consumer; the hub's {@code "mode":"hub"}). */
    HEALTH("GET", Access.OPEN, Body.DEFAULT, "api.ServingHandler, trust.HubHandler", "/health"),

    // ---- the national hub -------------------------------------------------------------------------------------------
    /** The signed national trust bundle (ETag, Last-Modified, 304). */
    HUB_TRUST_LIST("GET", Access.ANY_ROLE, Body.DEFAULT, "trust.HubHandler", "/v1/trust-list"),
    /** The CA's certificate revocation list, as the hub holds it (regions take it with the trust list). */
    HUB_CRL("GET", Access.ANY_ROLE, Body.DEFAULT, "trust.HubHandler", "/v1/trust-list/crl"),
    /** A region registers or withdraws its keys. */
    HUB_REGISTRATION("POST", roles(Role.REGION), Body.DEFAULT, "trust.HubHandler", "/v1/trust-list/registrations");

    /** The request attribute holding the route of a request, set by the first handler ({@link RequestLimits}). */
    public static final String ATTRIBUTE = Route.class.getName();

    private static final Route[] ALL = values();

    /** Who may call: no one needs credentials, any authenticated role, or the roles listed. */
    public enum Access {
        OPEN,
        ANY_ROLE,
        ROLES
    }

    /** The largest request body of a route. */
    public enum Body {
        /** A batch of 100 ids, a risk-person notice, a key registration, an override. */
        DEFAULT(64 * 1024),
        /** A code or a code request: a code is a few hundred bytes. */
        CODE(16 * 1024),
        /** A health or itinerary declaration: a few fields, at most 20 areas. */
        DECLARATION(8 * 1024),
        /** A picture of a QR code: a phone photo, JPEG or PNG. */
        IMAGE(8 * 1024 * 1024);

        private final int maxBytes;

        Body(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        public int maxBytes() {
            return maxBytes;
        }
    }

    private final String method;
    private final Access access;
    private final Set<Role> roles;
    private final Body body;
    private final String handler;
    private final List<String> paths;
    /** Per path template: the text before the first {@code {}, and after the last {@code }} (null: exact). */
    private final String[] heads;

    private final String[] tails;

    Route(String method, Set<Role> roles, Body body, String handler, String... paths) {
        this(method, Access.ROLES, roles, body, handler, paths);
    }

    Route(String method, Access access, Body body, String handler, String... paths) {
        this(method, access, access == Access.ANY_ROLE ? EnumSet.allOf(Role.class) : Set.of(), body, handler, paths);
    }

    Route(String method, Access access, Set<Role> roles, Body body, String handler, String... paths) {
        this.method = method;
        this.access = access;
        this.roles = roles;
        this.body = body;
        this.handler = handler;
        this.paths = List.of(paths);
        this.heads = new String[paths.length];
        this.tails = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            int open = paths[i].indexOf('{');
            heads[i] = open < 0 ? paths[i] : paths[i].substring(0, open);
            tails[i] = open < 0 ? null : paths[i].substring(paths[i].lastIndexOf('}') + 1);
        }
    }

    private static Set<Role> roles(Role... roles) {
        return EnumSet.copyOf(List.of(roles));
    }

    /** The route {@code path} belongs to, or empty. */
    public static Optional<Route> match(String path) {
        for (Route r : ALL) {
            if (r.matches(path)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The route of a request: the one {@link RequestLimits} found (every server puts it first), else matched now.
     * Null when no route matches.
     */
    public static Route of(Request request) {
        Object r = request.getAttribute(ATTRIBUTE);
        if (r instanceof Route route) {
            return route;
        }
        return match(Request.getPathInContext(request)).orElse(null);
    }

    boolean matches(String path) {
        for (int i = 0; i < heads.length; i++) {
            if (tails[i] == null
                    ? path.equals(heads[i])
                    : path.length() >= heads[i].length() + tails[i].length()
                            && path.startsWith(heads[i])
                            && path.endsWith(tails[i])) {
                return true;
            }
        }
        return false;
    }

    /** The one method the route answers; any other is answered 405 with {@code Allow} naming this one. */
    public String method() {
        return method;
    }

    /** Whether credentials are needed, and whose. */
    public Access access() {
        return access;
    }

    /** The roles admitted; every role for {@link Access#ANY_ROLE}, none for {@link Access#OPEN}. */
    public Set<Role> roles() {
        return roles;
    }

    /** The largest request body accepted, in bytes. */
    public int maxBody() {
        return body.maxBytes();
    }

    /** The handler class that answers (relative to {@code org.healthcode.interop}). */
    public String handler() {
        return handler;
    }

    /** The path templates, as documented. */
    public List<String> paths() {
        return paths;
    }
}
