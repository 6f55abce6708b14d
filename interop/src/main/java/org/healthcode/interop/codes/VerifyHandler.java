package org.healthcode.interop.codes;

import static org.healthcode.interop.codes.CodeResponses.JSON;
import static org.healthcode.interop.codes.CodeResponses.MAPPER;
import static org.healthcode.interop.codes.CodeResponses.callerOf;
import static org.healthcode.interop.codes.CodeResponses.error;
import static org.healthcode.interop.codes.CodeResponses.methodNotAllowed;
import static org.healthcode.interop.codes.CodeResponses.onLane;
import static org.healthcode.interop.codes.CodeResponses.shed;
import static org.healthcode.interop.codes.CodeResponses.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import org.healthcode.codes.issue.QrImages;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.Lane;
import org.healthcode.interop.http.RequestBodies;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;

/**
 * What checkpoints call ({@link Route#VERIFY}, {@link Route#VERIFY_IMAGE}, {@link Route#REGION_TRUST_LIST}):
 * <ul>
 *   <li>{@code POST /v1/verify} with the code (text body, or JSON {@code {"code": ...}}) and
 *       {@code POST /v1/verify-image} with a picture of a QR: 200 with the verifier's one-line verdict (the request
 *       succeeded whatever the verdict). {@code ?scan=in|out&area=CODE} records a valid own-region code as a
 *       venue scan of the calling checkpoint (header {@code X-Scan-Event} names the event); see
 *       {@link #checkpointScan} for who the venue is;</li>
 *   <li>{@code GET /v1/trust-list.json}: this region's trust list, with an ETag.</li>
 * </ul>
 * Who is asking is the {@link Caller} access control put on the request; it goes into every audit record.
 */
public final class VerifyHandler extends Handler.Abstract {
    /** The header naming the venue scan event a checkpoint verification produced. */
    public static final String SCAN_EVENT_HEADER = "X-Scan-Event";
    /**
     * Pictures decoded at once, on a lane of their own: each may take about 20 MB of heap ({@link QrImages#decode})
     * and tens of milliseconds of a core; a few more wait, the rest are refused at once.
     */
    private static final int DECODING_THREADS = 2;

    private static final int DECODING_QUEUE = 4;
    private static final Pattern CHECKPOINT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern AREA_CODE = Pattern.compile("\\d{6}");

    private final CodeVerifyService verifying;
    private final RegionTrust trust;
    private final String region;
    private final Semaphore inFlight;
    private final Lane pictures = new Lane("verify-image", DECODING_THREADS, DECODING_QUEUE);

    /** {@code inFlight}: the bound on signatures in flight, shared with {@link CodeHandler}. */
    public VerifyHandler(CodeVerifyService verifying, RegionTrust trust, String region, Semaphore inFlight) {
        this.verifying = verifying;
        this.trust = trust;
        this.region = region;
        this.inFlight = inFlight;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Route.of(request);
        if (route != Route.VERIFY && route != Route.VERIFY_IMAGE && route != Route.REGION_TRUST_LIST) {
            return false;
        }
        try {
            if (!route.method().equals(request.getMethod())) {
                return methodNotAllowed(response, callback, route.method());
            }
            if (route == Route.REGION_TRUST_LIST) {
                return trustList(request, response, callback);
            }
            Caller caller = callerOf(request);
            return shed(
                    inFlight,
                    request,
                    response,
                    callback,
                    release -> route == Route.VERIFY
                            ? verifyText(request, response, release, caller)
                            : verifyImage(request, response, release, caller));
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, callback, e);
        }
    }

    /**
     * Reads the body (at most {@link RequestLimits#maxBody} of the path, without holding a thread while it arrives),
     * then the scan parameters, then hands both to {@code then}; refusals (too large, forbidden, malformed) are
     * answered here. Parameters are checked after the body is read: a refusal that left the body unread would cost
     * the connection (Jetty closes it, and a client reusing it sees the next request fail).
     */
    private boolean readVerifyRequest(
            Request request, Response response, Callback callback, Caller caller, VerifyStep then) {
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
        return readVerifyRequest(
                request,
                response,
                callback,
                caller,
                (body, scan) -> onLane(pictures, request, response, callback, () -> {
                    String text;
                    try {
                        text = QrImages.decode(body);
                    } catch (QrImages.PictureTooLargeException e) {
                        error(response, callback, ErrorReason.PAYLOAD_TOO_LARGE, e.getMessage());
                        return;
                    } catch (IOException | RuntimeException e) {
                        error(response, callback, ErrorReason.NO_QR_CODE, "no readable QR code in the picture");
                        return;
                    }
                    verdict(verifying.verify(text, scan, caller), response, callback);
                }));
    }

    /** Stops the picture lane's threads. */
    public void close() {
        pictures.close();
    }

    private boolean verdict(VerifyOutcome outcome, Response response, Callback callback) {
        outcome.scanEventId().ifPresent(id -> response.getHeaders().put(SCAN_EVENT_HEADER, id));
        return write(
                response, callback, 200, JSON, outcome.verdict().toJsonLine().getBytes(StandardCharsets.UTF_8));
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
            throw new ScanRefused("only a checkpoint's own credential records scans; role "
                    + caller.role().wireName() + " may verify without recording");
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
}
