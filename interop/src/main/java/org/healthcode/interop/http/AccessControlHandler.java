package org.healthcode.interop.http;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.CertificateCallers;
import org.healthcode.interop.security.RateLimiter;
import org.healthcode.interop.security.Revocations;
import org.healthcode.interop.security.Role;

/**
 * Authenticates every request before any handler sees it, then checks the caller's role against the request's
 * {@link Route} ({@link AccessPolicy}) and its rate limit. Named checks in order: {@link #authenticate} (client
 * certificate, else {@code Authorization: Bearer <key>}, else the dev-open mode: role app where an endpoint admits
 * it, else role checkpoint) -> {@link #checkRole} -> {@link #checkRate}.
 * The authenticated {@link Caller} travels on as the request attribute {@link Caller#ATTRIBUTE}.
 *
 * <p>Refusals: 401 {@code unauthenticated} (with {@code WWW-Authenticate: Bearer}), 403 {@code forbidden}, 429
 * {@code rate_limited} (with {@code Retry-After}); each is counted ({@code healthcode_access_refused_total}), and
 * each refusal of an authenticated caller is audited as action {@code access}.
 */
public final class AccessControlHandler extends Handler.Wrapper {
    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;
    private final RateLimiter rates;
    private final boolean devOpenLookups;
    private final String region;
    private final AuditSink audit;
    private final ServingMetrics metrics;
    private final Clock clock;
    private final Revocations revocations;

    /** A refusal: the reason and the words for the caller. */
    private record Refusal(ErrorReason reason, String message, long retryAfter) {}

    public AccessControlHandler(
            Handler next,
            ApiKeys apiKeys,
            RateLimiter rates,
            boolean devOpenLookups,
            String region,
            AuditSink audit,
            ServingMetrics metrics,
            Clock clock,
            Revocations revocations) {
        super(next);
        this.revocations = revocations;
        this.apiKeys = apiKeys;
        this.rates = rates;
        this.devOpenLookups = devOpenLookups;
        this.region = region;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Optional<Set<Role>> roles = AccessPolicy.rolesFor(Route.of(request), path);
        if (roles.isEmpty()) {
            return super.handle(request, response, callback);
        }
        Caller caller = null;
        Refusal refusal;
        Object who = authenticate(request, roles.get());
        if (who instanceof Refusal r) {
            refusal = r;
        } else {
            caller = (Caller) who;
            refusal = checkRole(caller, roles.get());
            if (refusal == null) {
                refusal = checkRegion(caller);
            }
            if (refusal == null) {
                refusal = checkRate(caller);
            }
        }
        if (refusal == null) {
            request.setAttribute(Caller.ATTRIBUTE, caller);
            return super.handle(request, response, callback);
        }
        metrics.recordAccessRefused(refusal.reason().code());
        if (caller != null) {
            // an anonymous refusal decides nothing about anyone: counted (above), not written one by one, so a
            // flood of them cannot flood the audit
            audit.record(AuditRecord.of(
                    clock.instant(),
                    caller,
                    AuditRecord.ACCESS,
                    null,
                    refusal.reason().code(),
                    request.getMethod() + " " + path));
        }
        if (refusal.reason() == ErrorReason.UNAUTHENTICATED) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (refusal.retryAfter() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(refusal.retryAfter()));
        }
        return JsonResponses.error(response, callback, refusal.reason(), refusal.message());
    }

    /**
     * The caller, or a refusal. A presented credential that fails is refused even in dev-open mode. A client
     * certificate is checked against the revocation list on every request, not only at the handshake: a connection
     * kept open does not outlive its certificate's revocation.
     */
    Object authenticate(Request request, Set<Role> admitted) {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        if (ssl != null && ssl.peerCertificates() != null && ssl.peerCertificates().length > 0) {
            if (revocations != null && revocations.isRevoked(ssl.peerCertificates()[0])) {
                return new Refusal(ErrorReason.UNAUTHENTICATED, "the client certificate is revoked", 0);
            }
            Optional<Caller> c = CertificateCallers.of(ssl.peerCertificates()[0]);
            return c.isPresent()
                    ? c.get()
                    : new Refusal(
                            ErrorReason.UNAUTHENTICATED, "the client certificate names no role (OU) and region (O)", 0);
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.startsWith(BEARER)) {
                return new Refusal(ErrorReason.UNAUTHENTICATED, "use Authorization: Bearer <api key>", 0);
            }
            Optional<Caller> c = apiKeys.authenticate(
                    authorization.substring(BEARER.length()).strip());
            return c.isPresent() ? c.get() : new Refusal(ErrorReason.UNAUTHENTICATED, "unknown API key", 0);
        }
        if (devOpenLookups && admitted.contains(Role.APP)) {
            return new Caller("dev-open", Role.APP, region, Caller.Via.DEV_OPEN);
        }
        if (devOpenLookups && admitted.contains(Role.CHECKPOINT)) {
            // verification in development mode; a scan it records names its checkpoint by parameter (VerifyHandler)
            return new Caller("dev-open", Role.CHECKPOINT, region, Caller.Via.DEV_OPEN);
        }
        return new Refusal(
                ErrorReason.UNAUTHENTICATED,
                "credentials required: Authorization: Bearer <api key>, or a client certificate",
                0);
    }

    static Refusal checkRole(Caller caller, Set<Role> admitted) {
        if (admitted.contains(caller.role())) {
            return null;
        }
        return new Refusal(ErrorReason.FORBIDDEN, "role " + caller.role().wireName() + " may not use this endpoint", 0);
    }

    /**
     * An app, checkpoint or operator acts for its own region only: its credential's region must be this node's.
     * Regions and the hub call across regions by design (and see only what {@link AccessPolicy} lets them); the hub
     * itself serves every region.
     */
    Refusal checkRegion(Caller caller) {
        if (region == null
                || region.equals(InteropConfig.HUB_REGION)
                || caller.role() == Role.REGION
                || caller.role() == Role.HUB
                || region.equals(caller.region())) {
            return null;
        }
        return new Refusal(
                ErrorReason.WRONG_REGION,
                "a " + caller.role().wireName() + " of region " + caller.region() + " may not call region " + region,
                0);
    }

    Refusal checkRate(Caller caller) {
        long wait = rates.admit(caller);
        return wait == 0
                ? null
                : new Refusal(
                        ErrorReason.RATE_LIMITED,
                        "rate limit of role " + caller.role().wireName() + " exceeded; retry after " + wait + " s",
                        wait);
    }
}
