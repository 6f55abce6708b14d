package org.healthcode.interop.codes;

import static org.healthcode.interop.codes.CodeResponses.JSON;
import static org.healthcode.interop.codes.CodeResponses.MAPPER;
import static org.healthcode.interop.codes.CodeResponses.callerOf;
import static org.healthcode.interop.codes.CodeResponses.error;
import static org.healthcode.interop.codes.CodeResponses.failed;
import static org.healthcode.interop.codes.CodeResponses.methodNotAllowed;
import static org.healthcode.interop.codes.CodeResponses.onLane;
import static org.healthcode.interop.codes.CodeResponses.shed;
import static org.healthcode.interop.codes.CodeResponses.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.Lane;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;

/**
 * Issues a person's code ({@link Route#CODE}, {@link Route#CODE_QR}):
 * <ul>
 *   <li>{@code POST /v1/codes} with {@code {"personId": ...}}, or {@code POST /v1/codes/{personId}}: the person's
 *       current code, {@code {code, colour, since, issuedAt, expiresAt, refreshAt, kid}};</li>
 *   <li>{@code GET /v1/codes/{personId}/qr.png} and {@code qr.svg}: that code as a QR in the status colour.</li>
 * </ul>
 * Who is asking is the {@link Caller} access control put on the request; it goes into every audit record.
 */
public final class CodeHandler extends Handler.Abstract {
    private static final String CODES = "/v1/codes";
    /**
     * Codes signed and QR pictures drawn at once, on a lane of their own; a few dozen more wait. More threads than
     * cores: each also waits for its audit record's acknowledgement.
     */
    private static final int ISSUING_THREADS = 8;

    private static final int ISSUING_QUEUE = 64;

    private final CodeIssueService issuing;
    private final Semaphore inFlight;
    private final Lane lane = new Lane("codes", ISSUING_THREADS, ISSUING_QUEUE);

    /** {@code inFlight}: the bound on signatures in flight, shared with {@link VerifyHandler}. */
    public CodeHandler(CodeIssueService issuing, Semaphore inFlight) {
        this.issuing = issuing;
        this.inFlight = inFlight;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Route.of(request);
        if (route != Route.CODE && route != Route.CODE_QR) {
            return false;
        }
        try {
            if (!route.method().equals(request.getMethod())) {
                return methodNotAllowed(response, callback, route.method());
            }
            String path = Request.getPathInContext(request);
            Caller caller = callerOf(request);
            return shed(inFlight, request, response, callback, release -> {
                if (route == Route.CODE_QR) {
                    String rest = path.substring(CODES.length() + 1);
                    String personId = rest.substring(0, rest.length() - "/qr.png".length());
                    return onLane(
                            lane,
                            request,
                            response,
                            release,
                            () -> qr(personId, rest.endsWith(".png"), response, release, caller));
                }
                if (path.equals(CODES)) {
                    return RequestBodies.read(
                            request,
                            response,
                            release,
                            body -> onLane(
                                    lane,
                                    request,
                                    response,
                                    release,
                                    () -> codeFromBody(body, response, release, caller)));
                }
                String personId = path.substring(CODES.length() + 1);
                return onLane(lane, request, response, release, () -> code(personId, response, release, caller));
            });
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, callback, e);
        }
    }

    /** Stops the lane's threads. */
    public void close() {
        lane.close();
    }

    private boolean codeFromBody(byte[] body, Response response, Callback callback, Caller caller) {
        String personId;
        try {
            JsonNode json = MAPPER.readTree(body);
            personId = json == null ? null : json.path("personId").textValue();
        } catch (IOException e) {
            personId = null;
        }
        if (personId == null) {
            return error(response, callback, ErrorReason.MALFORMED_REQUEST, "the body must be {\"personId\": \"...\"}");
        }
        return code(personId, response, callback, caller);
    }

    private boolean code(String personId, Response response, Callback callback, Caller caller) {
        CodeResult result = issuing.codeFor(personId, caller);
        if (result instanceof CodeResult.Failed f) {
            return failed(f, response, callback);
        }
        CodeResult.Issued issued = (CodeResult.Issued) result;
        IssuedCode c = issued.code();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", c.text());
        body.put("colour", c.claims().colour().wireName());
        body.put("since", c.claims().since().toString());
        body.put("issuedAt", c.claims().issuedAt().toString());
        body.put("expiresAt", c.claims().expiresAt().toString());
        body.put("refreshAt", issued.refreshAt().toString());
        body.put("kid", c.kidBase64());
        return write(response, callback, 200, JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private boolean qr(String personId, boolean png, Response response, Callback callback, Caller caller) {
        CodeResult result = issuing.codeFor(personId, caller);
        if (result instanceof CodeResult.Failed f) {
            return failed(f, response, callback);
        }
        IssuedCode c = ((CodeResult.Issued) result).code();
        Colour colour = c.claims().colour();
        response.getHeaders().put("X-Code-Colour", colour.wireName());
        response.getHeaders().put("X-Code-Expires", c.claims().expiresAt().toString());
        if (png) {
            return write(response, callback, 200, "image/png", QrRendering.png(c.text(), colour));
        }
        return write(
                response,
                callback,
                200,
                "image/svg+xml",
                QrRendering.svg(c.text(), colour).getBytes(StandardCharsets.UTF_8));
    }
}
