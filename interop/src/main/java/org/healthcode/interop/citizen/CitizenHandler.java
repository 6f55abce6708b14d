package org.healthcode.interop.citizen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.interop.api.LookupResult;
import org.healthcode.interop.api.StatusLookupService;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;

/**
 * Residents' services beside the status: the fellow-traveller self-check ({@link Route#SELF_CHECK}, open, limited per
 * client address) and the risk areas ({@link Route#RISK_AREAS}, open; {@link Route#RISK_AREAS_OF_PERSON}, the
 * person's app, audited as a lookup of the person).
 * <ul>
 *   <li>{@code GET /v1/self-check/vehicle?vehicleId=G6301@2022-04-01&carriage=5} (or {@code &row=23}) -> 200 the
 *       answer of {@link FellowTravellerCheck}; 400 {@code malformed_request} naming the field; 429 with
 *       {@code Retry-After} beyond the per-address limit; 503 until the vehicles' records are read.</li>
 *   <li>{@code GET /v1/risk-areas[?at=TIME]} -> 200 the high and medium listings in force ({@link RiskAreas#now}).</li>
 *   <li>{@code GET /v1/risk-areas/me/{personId}[?at=TIME]} -> 200 the same and the person's stays that overlap a
 *       listing ({@link RiskAreas#ofPerson}); 404 for a person without a status.</li>
 * </ul>
 */
public final class CitizenHandler extends Handler.Abstract {
    /** Self-checks per minute per client address by default: a person checks a few trips, a scraper many. */
    public static final int SELF_CHECKS_PER_MINUTE = 10;

    private static final String RISK_AREAS_ME = "/v1/risk-areas/me/";

    private final FellowTravellerCheck selfCheck;
    private final AddressRateLimit selfCheckLimit;
    private final java.util.function.BooleanSupplier vehiclesReady;
    private final RiskAreas riskAreas;
    private final StatusLookupService lookups;
    private final Clock clock;

    public CitizenHandler(
            FellowTravellerCheck selfCheck,
            AddressRateLimit selfCheckLimit,
            java.util.function.BooleanSupplier vehiclesReady,
            RiskAreas riskAreas,
            StatusLookupService lookups,
            Clock clock) {
        this.selfCheck = selfCheck;
        this.selfCheckLimit = selfCheckLimit;
        this.vehiclesReady = vehiclesReady;
        this.riskAreas = riskAreas;
        this.lookups = lookups;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        if (route != Route.SELF_CHECK && route != Route.RISK_AREAS && route != Route.RISK_AREAS_OF_PERSON) {
            return false;
        }
        if (!route.method().equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, route.method());
            return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + route.method());
        }
        if (route == Route.SELF_CHECK) {
            return selfCheck(request, response, callback);
        }
        long at;
        try {
            at = at(request);
        } catch (IllegalArgumentException e) {
            return badField(
                    response, callback, "at", "at: an ISO-8601 time with offset, e.g. 2022-04-01T12:00:00+08:00");
        }
        if (route == Route.RISK_AREAS) {
            return JsonResponses.json(response, callback, 200, riskAreas.now(at));
        }
        String personId = Request.getPathInContext(request).substring(RISK_AREAS_ME.length());
        if (!PersonIds.isPseudonym(personId)) {
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.MALFORMED_PERSON_ID,
                    PersonIds.looksLikeRawIdentity(personId) ? PersonIds.RAW_IDENTITY : "not a person id");
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        LookupResult found = lookups.lookup(caller, personId); // audited as a lookup of the person
        if (found instanceof LookupResult.Failed f) {
            return JsonResponses.error(response, callback, f.reason(), f.message());
        }
        return JsonResponses.json(
                response, callback, 200, riskAreas.ofPerson(((LookupResult.Found) found).status(), at));
    }

    /** The {@code at} parameter, or now. */
    private long at(Request request) {
        String at = Request.extractQueryParameters(request).getValue("at");
        if (at == null || at.isBlank()) {
            return clock.millis();
        }
        try {
            return IsoTimes.parse(at.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean badField(Response response, Callback callback, String field, String message) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("error", ErrorReason.MALFORMED_REQUEST.code());
        body.put("field", field);
        body.put("message", message);
        return JsonResponses.json(response, callback, ErrorReason.MALFORMED_REQUEST.httpStatus(), body);
    }

    private boolean selfCheck(Request request, Response response, Callback callback) {
        long wait = selfCheckLimit.admit(request);
        if (wait > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.RATE_LIMITED,
                    "too many self-checks from this address; retry after " + wait + " s");
        }
        FellowTravellerCheck.Question q;
        try {
            Fields f = Request.extractQueryParameters(request);
            q = FellowTravellerCheck.question(f.getValue("vehicleId"), f.getValue("carriage"), f.getValue("row"));
        } catch (FellowTravellerCheck.BadQuestion e) {
            return badField(response, callback, e.field(), e.getMessage());
        }
        if (!vehiclesReady.getAsBoolean()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            return JsonResponses.error(
                    response, callback, ErrorReason.UNAVAILABLE, "the vehicles' case records are still being read");
        }
        return JsonResponses.json(response, callback, 200, selfCheck.answer(q));
    }
}
