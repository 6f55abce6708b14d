package org.healthcode.interop.codes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.codes.issue.QrImages;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;

/**
 * The HTTP surface of codes and checkpoints (Jetty core handler): issuing, QR images, verification, the trust list
 * and the two pages: the {@link Route}s of {@link #handles}, which {@link org.healthcode.interop.api.ServingHandler}
 * passes here.
 *
 * <ul>
 *   <li>{@code POST /v1/codes} with {@code {"personId": ...}}, or {@code POST /v1/codes/{personId}}: the person's
 *       current code, {@code {code, colour, since, issuedAt, expiresAt, refreshAt, kid}};</li>
 *   <li>{@code GET /v1/codes/{personId}/qr.png} and {@code qr.svg}: that code as a QR in the status colour;</li>
 *   <li>{@code POST /v1/verify} with the code (text body, or JSON {@code {"code": ...}}) and
 *       {@code POST /v1/verify-image} with a picture of a QR: 200 with the verifier's one-line verdict (the request
 *       succeeded whatever the verdict). {@code ?scan=in|out&area=CODE} records a valid own-region code as a
 *       venue scan of the calling checkpoint (header {@code X-Scan-Event} names the event); see
 *       {@link #checkpointScan} for who the venue is;</li>
 *   <li>{@code GET /v1/trust-list.json}: this region's trust list, with an ETag;</li>
 *   <li>{@code GET /app/{personId}} (or {@code /app/?id=}): the person's page; {@code GET /checkpoint}: the
 *       checkpoint page; {@code GET /web/{file}}: their scripts and styles.</li>
 * </ul>
 *
 * <p>Who is asking is the {@link Caller} that authentication in front of this handler put on the request (access
 * control, which also checks roles); it goes into every audit record.
 */
public final class CodesHandler extends Handler.Abstract {
    private static final String CODES = "/v1/codes";
    private static final String WEB = "/web/";
    /** The header naming the venue scan event a checkpoint verification produced. */
    public static final String SCAN_EVENT_HEADER = "X-Scan-Event";
    private static final String JSON = "application/json";
    /** Pictures decoded at once: each may take about 20 MB of heap ({@link QrImages#decode}). */
    private static final int MAX_DECODING = 2;
    private static final Pattern CHECKPOINT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern AREA_CODE = Pattern.compile("\\d{6}");
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CodeIssueService issuing;
    private final CodeVerifyService verifying;
    private final RegionTrust trust;
    private final WebAssets assets;
    private final String region;
    private final Semaphore inFlight;
    private final Semaphore decoding = new Semaphore(MAX_DECODING);

    public CodesHandler(CodeIssueService issuing, CodeVerifyService verifying, RegionTrust trust, WebAssets assets,
                        String region, int maxInFlight) {
        this.issuing = issuing;
        this.verifying = verifying;
        this.trust = trust;
        this.assets = assets;
        this.region = region;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Who is asking, as authentication in front of this handler established it; null when nothing did. */
    static Caller callerOf(Request request) {
        return request.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c : null;
    }

    /** True for the routes this handler answers. */
    public static boolean handles(Route route) {
        return route != null && switch (route) {
            case VERIFY, VERIFY_IMAGE, CODE_QR, CODE, REGION_TRUST_LIST, PERSON_PAGE, CHECKPOINT_PAGE, WEB_ASSET ->
                    true;
            default -> false;
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Route.of(request);
        if (!handles(route)) {
            return false;
        }
        String path = Request.getPathInContext(request);
        if (!route.method().equals(request.getMethod())) {
            return methodNotAllowed(response, callback, route.method());
        }
        try {
            return switch (route) {
                case REGION_TRUST_LIST -> trustList(request, response, callback);
                case PERSON_PAGE -> page(WebAssets.PERSON_PAGE, response, callback);
                case CHECKPOINT_PAGE -> page(WebAssets.CHECKPOINT_PAGE, response, callback);
                case WEB_ASSET -> asset(path.substring(WEB.length()), response, callback);
                default -> shed(request, response, callback, route, path);
            };
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, callback, e);
        }
    }

    /** Issuing and verifying cost a signature each: bounded like lookups, refused at once beyond the bound. */
    private boolean shed(Request request, Response response, Callback callback, Route route, String path) {
        if (!inFlight.tryAcquire()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return error(response, callback, ErrorReason.OVERLOADED, "too many requests in flight; retry after a second");
        }
        Callback release = Callback.from(callback, (Runnable) inFlight::release);
        try {
            return route(request, response, release, route, path);
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, release, e);
        }
    }

    private boolean route(Request request, Response response, Callback callback, Route route, String path) {
        Caller caller = callerOf(request);
        switch (route) {
            case VERIFY -> {
                return verifyText(request, response, callback, caller);
            }
            case VERIFY_IMAGE -> {
                return verifyImage(request, response, callback, caller);
            }
            case CODE_QR -> {
                String rest = path.substring(CODES.length() + 1);
                String personId = rest.substring(0, rest.length() - "/qr.png".length());
                return qr(personId, rest.endsWith(".png"), response, callback, caller);
            }
            default -> {
                if (path.equals(CODES)) {
                    return RequestBodies.read(request, response, callback, body -> codeFromBody(body, response,
                            callback, caller));
                }
                return code(path.substring(CODES.length() + 1), response, callback, caller);
            }
        }
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
        return write(response, callback, 200, "image/svg+xml",
                QrRendering.svg(c.text(), colour).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the body (at most {@link RequestLimits#maxBody} of the path, without holding a thread while it arrives),
     * then the scan parameters, then hands both to {@code then}; refusals (too large, forbidden, malformed) are
     * answered here. Parameters are checked after the body is read: a refusal that left the body unread would cost
     * the connection (Jetty closes it, and a client reusing it sees the next request fail).
     */
    private boolean readVerifyRequest(Request request, Response response, Callback callback, Caller caller,
                                      VerifyStep then) {
        return RequestBodies.read(request, response, callback, body -> {
            Optional<CheckpointScan> scan;
            try {
                scan = checkpointScan(request, caller);
            } catch (ScanRefused e) {
                error(response, callback, ErrorReason.FORBIDDEN, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                error(response, callback, ErrorReason.MALFORMED_REQUEST, e.getMessage());
                return;
            }
            then.verify(body, scan);
        });
    }

    /** A verification once its body and scan parameters are read. */
    @FunctionalInterface
    private interface VerifyStep {
        void verify(byte[] body, Optional<CheckpointScan> scan) throws Exception;
    }

    private boolean verifyText(Request request, Response response, Callback callback, Caller caller) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return readVerifyRequest(request, response, callback, caller, (body, scan) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (type != null && type.toLowerCase().startsWith(JSON)) {
                try {
                    JsonNode json = MAPPER.readTree(text);
                    text = json == null ? null : json.path("code").textValue();
                } catch (IOException e) {
                    text = null;
                }
                if (text == null) {
                    error(response, callback, ErrorReason.MALFORMED_REQUEST, "the body must be {\"code\": \"...\"}");
                    return;
                }
            }
            verdict(verifying.verify(text, scan, caller), response, callback);
        });
    }

    private boolean verifyImage(Request request, Response response, Callback callback, Caller caller) {
        return readVerifyRequest(request, response, callback, caller, (body, scan) -> {
            if (!decoding.tryAcquire()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                error(response, callback, ErrorReason.OVERLOADED, "too many pictures being read; retry after a second");
                return;
            }
            String text;
            try {
                text = QrImages.decode(body);
            } catch (QrImages.PictureTooLargeException e) {
                error(response, callback, ErrorReason.PAYLOAD_TOO_LARGE, e.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                error(response, callback, ErrorReason.NO_QR_CODE, "no readable QR code in the picture");
                return;
            } finally {
                decoding.release();
            }
            verdict(verifying.verify(text, scan, caller), response, callback);
        });
    }

    private boolean verdict(VerifyOutcome outcome, Response response, Callback callback) {
        outcome.scanEventId().ifPresent(id -> response.getHeaders().put(SCAN_EVENT_HEADER, id));
        return write(response, callback, 200, JSON,
                outcome.verdict().toJsonLine().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the scan happened, if the request asks for it to be recorded ({@code scan=in|out}; the older
     * {@code checkpoint=ID} alone means {@code scan=in}). The venue is the authenticated checkpoint itself: the name of
     * its API key or the CN of its client certificate. A {@code checkpoint} parameter naming anyone else is refused,
     * so no caller can file visits under another checkpoint's name, and only role {@code checkpoint} of this region
     * records scans (an operator, or another region's checkpoint, may verify, not record). The one exception is development mode ({@code --dev-open-lookups}, no
     * credential presented): there the {@code checkpoint} parameter names the venue. Bad values are refused rather
     * than guessed.
     */
    private Optional<CheckpointScan> checkpointScan(Request request, Caller caller) {
        Fields q = Request.extractQueryParameters(request);
        String named = blankToNull(q.getValue("checkpoint"));
        String scan = blankToNull(q.getValue("scan"));
        String direction = blankToNull(q.getValue("direction"));
        if (named == null && scan == null) {
            return Optional.empty();
        }
        if (scan != null && direction != null && !scan.equals(direction)) {
            throw new IllegalArgumentException("scan and direction disagree; give scan=in or scan=out");
        }
        direction = scan != null ? scan : direction == null ? "in" : direction;
        if (!direction.equals("in") && !direction.equals("out")) {
            throw new IllegalArgumentException("scan: in or out");
        }
        if (named != null && !CHECKPOINT_ID.matcher(named).matches()) {
            throw new IllegalArgumentException("checkpoint: 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':', '-'");
        }
        String venue = venueOf(caller, named);
        String area = blankToNull(q.getValue("area"));
        if (area == null) {
            area = region;
        } else if (!AREA_CODE.matcher(area).matches()) {
            throw new IllegalArgumentException("area: a six-digit GB/T 2260 code");
        }
        return Optional.of(new CheckpointScan(venue, area, direction));
    }

    /** The checkpoint a scan is recorded for: the caller's own credential, or the named one in development mode. */
    private String venueOf(Caller caller, String named) {
        if (caller == null) {
            throw new ScanRefused("recording a scan needs a checkpoint's credential");
        }
        if (caller.via() == Caller.Via.DEV_OPEN) {
            if (named == null) {
                throw new IllegalArgumentException("checkpoint: without a credential (development mode) name the"
                        + " checkpoint whose scan this is");
            }
            return named;
        }
        if (caller.role() != Role.CHECKPOINT) {
            throw new ScanRefused("only a checkpoint's own credential records scans; role " + caller.role().wireName()
                    + " may verify without recording");
        }
        if (named != null && !named.equals(caller.name())) {
            throw new ScanRefused("this credential is checkpoint " + caller.name() + "; it records scans only as"
                    + " itself, not as " + named);
        }
        if (!region.equals(caller.region())) {
            throw new ScanRefused("checkpoint " + caller.name() + " belongs to region " + caller.region()
                    + "; it records scans with its own region's service, not " + region + "'s");
        }
        return caller.name();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A scan the caller may not record (403), as opposed to a malformed request (400). */
    private static final class ScanRefused extends IllegalArgumentException {
        ScanRefused(String message) {
            super(message);
        }
    }

    private boolean trustList(Request request, Response response, Callback callback) {
        RegionTrust.Published p = trust.current();
        response.getHeaders().put(HttpHeader.ETAG, p.etag());
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.contains(p.etag())) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        return write(response, callback, 200, JSON, p.json().getBytes(StandardCharsets.UTF_8), "no-cache");
    }

    private boolean page(String name, Response response, Callback callback) {
        response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
        return asset(name, response, callback);
    }

    private boolean asset(String name, Response response, Callback callback) {
        Optional<WebAssets.Asset> asset = assets.get(name);
        if (asset.isEmpty()) {
            return error(response, callback, ErrorReason.NOT_FOUND, "no such file");
        }
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        return write(response, callback, 200, asset.get().contentType(), asset.get().bytes());
    }

    private static boolean failed(CodeResult.Failed f, Response response, Callback callback) {
        if (f.reason() == ErrorReason.UNAVAILABLE) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        return error(response, callback, f.reason(), f.message());
    }

    private static boolean methodNotAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + allowed + " is supported");
    }

    private static boolean error(Response response, Callback callback, ErrorReason reason, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", reason.code());
        body.put("message", message);
        return write(response, callback, reason.httpStatus(), JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean write(Response response, Callback callback, int status, String contentType, byte[] body) {
        return write(response, callback, status, contentType, body, "no-store");
    }

    /** {@code cacheControl}: no-store for codes and verdicts; no-cache (store, revalidate by ETag) for the list. */
    private static boolean write(Response response, Callback callback, int status, String contentType, byte[] body,
                                 String cacheControl) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
