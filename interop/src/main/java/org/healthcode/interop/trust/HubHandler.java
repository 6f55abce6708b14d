package org.healthcode.interop.trust;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Revocations;

/**
 * The hub's HTTP surface (the hub's {@link Route}s): {@code GET /v1/trust-list} (the signed bundle; {@code ETag},
 * {@code Last-Modified}, 304 on {@code If-None-Match} or {@code If-Modified-Since}),
 * {@code POST /v1/trust-list/registrations} (a {@link KeyRegistration}; 200 accepted, 403
 * {@code registration_rejected}), {@code GET /v1/trust-list/crl} (the CA's certificate revocation list as the hub
 * holds it, PEM; 404 when it holds none), {@code GET /health}.
 */
public final class HubHandler extends Handler.Abstract {
    private final TrustHub hub;
    private final Revocations revocations;
    private final AuditSink audit;
    private final Clock clock;

    public HubHandler(TrustHub hub, Revocations revocations, AuditSink audit, Clock clock) {
        this.hub = hub;
        this.revocations = revocations;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        // a wrong method is answered 404 like an unknown path: the hub names what it serves
        if (route != null && route.method().equals(request.getMethod())) {
            switch (route) {
                case HEALTH -> {
                    return JsonResponses.write(
                            response, callback, 200, JsonResponses.JSON, "{\"status\":\"ok\",\"mode\":\"hub\"}");
                }
                case HUB_TRUST_LIST -> {
                    return trustList(request, response, callback);
                }
                case HUB_CRL -> {
                    return crl(response, callback);
                }
                case HUB_REGISTRATION -> {
                    return register(request, response, callback);
                }
                default -> {
                    // a region's route: not served here
                }
            }
        }
        return JsonResponses.error(
                response,
                callback,
                ErrorReason.NOT_FOUND,
                "hub: GET /v1/trust-list, GET /v1/trust-list/crl, POST /v1/trust-list/registrations, GET /health");
    }

    private boolean trustList(Request request, Response response, Callback callback) {
        TrustHub.Published p = hub.current();
        ZonedDateTime modified = p.bundle().issuedAt().atZone(ZoneOffset.UTC).withNano(0);
        response.getHeaders().put(HttpHeader.ETAG, p.etag());
        response.getHeaders().put(HttpHeader.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(modified));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        String inm = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        String ims = request.getHeaders().get(HttpHeader.IF_MODIFIED_SINCE);
        boolean notModified;
        if (inm != null) {
            notModified = inm.contains(p.etag());
        } else if (ims != null) {
            try {
                notModified = !modified.isAfter(ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                notModified = false;
            }
        } else {
            notModified = false;
        }
        if (notModified) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        return JsonResponses.write(response, callback, 200, JsonResponses.JSON, p.json());
    }

    private boolean crl(Response response, Callback callback) throws Exception {
        var crl = revocations.currentPem();
        if (crl.isEmpty()) {
            return JsonResponses.error(response, callback, ErrorReason.NOT_FOUND, "no revocation list");
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        return JsonResponses.write(response, callback, 200, "application/x-pem-file", crl.get());
    }

    private boolean register(Request request, Response response, Callback callback) {
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        return RequestBodies.read(
                request,
                response,
                callback,
                body -> register(caller, new String(body, StandardCharsets.UTF_8), response, callback));
    }

    private boolean register(Caller caller, String body, Response response, Callback callback) throws Exception {
        String subject = null;
        try {
            KeyRegistration r = KeyRegistration.parse(body);
            subject = r.trustList().region();
            hub.register(r, caller);
            audit.record(AuditRecord.of(
                    clock.instant(),
                    caller,
                    AuditRecord.TRUST_REGISTER,
                    subject,
                    "accepted",
                    "signed by " + r.signedBy() + (r.withdraw().isEmpty() ? "" : ", withdraws " + r.withdraw())));
            return JsonResponses.write(
                    response,
                    callback,
                    200,
                    JsonResponses.JSON,
                    "{\"result\":\"accepted\",\"serial\":"
                            + hub.current().bundle().serial() + "}");
        } catch (TrustListException e) {
            audit.record(AuditRecord.of(
                    clock.instant(),
                    caller,
                    AuditRecord.TRUST_REGISTER,
                    subject,
                    ErrorReason.MALFORMED_REQUEST.code(),
                    e.getMessage()));
            return JsonResponses.error(response, callback, ErrorReason.MALFORMED_REQUEST, e.getMessage());
        } catch (TrustHub.Rejected e) {
            audit.record(AuditRecord.of(
                    clock.instant(),
                    caller,
                    AuditRecord.TRUST_REGISTER,
                    subject,
                    ErrorReason.REGISTRATION_REJECTED.code(),
                    e.getMessage()));
            return JsonResponses.error(response, callback, ErrorReason.REGISTRATION_REJECTED, e.getMessage());
        }
    }
}
