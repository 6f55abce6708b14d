package org.healthcode.interop.citizen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;
import org.healthcode.interop.http.Route;

/**
 * Residents' services that need no status lookup: the fellow-traveller self-check ({@link Route#SELF_CHECK}, open,
 * limited per client address).
 * <ul>
 *   <li>{@code GET /v1/self-check/vehicle?vehicleId=G6301@2022-04-01&carriage=5} (or {@code &row=23}) -> 200 the
 *       answer of {@link FellowTravellerCheck}; 400 {@code malformed_request} naming the field; 429 with
 *       {@code Retry-After} beyond the per-address limit; 503 until the vehicles' records are read.</li>
 * </ul>
 */
public final class CitizenHandler extends Handler.Abstract {
    /** Self-checks per minute per client address by default: a person checks a few trips, a scraper many. */
    public static final int SELF_CHECKS_PER_MINUTE = 10;

    private final FellowTravellerCheck selfCheck;
    private final AddressRateLimit selfCheckLimit;
    private final java.util.function.BooleanSupplier vehiclesReady;

    public CitizenHandler(
            FellowTravellerCheck selfCheck,
            AddressRateLimit selfCheckLimit,
            java.util.function.BooleanSupplier vehiclesReady) {
        this.selfCheck = selfCheck;
        this.selfCheckLimit = selfCheckLimit;
        this.vehiclesReady = vehiclesReady;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        if (route != Route.SELF_CHECK) {
            return false;
        }
        if (!route.method().equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, route.method());
            return JsonResponses.error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + route.method());
        }
        return selfCheck(request, response, callback);
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
            ObjectNode body = JsonResponses.MAPPER.createObjectNode();
            body.put("error", ErrorReason.MALFORMED_REQUEST.code());
            body.put("field", e.field());
            body.put("message", e.getMessage());
            return JsonResponses.json(response, callback, ErrorReason.MALFORMED_REQUEST.httpStatus(), body);
        }
        if (!vehiclesReady.getAsBoolean()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            return JsonResponses.error(
                    response, callback, ErrorReason.UNAVAILABLE, "the vehicles' case records are still being read");
        }
        return JsonResponses.json(response, callback, 200, selfCheck.answer(q));
    }
}
