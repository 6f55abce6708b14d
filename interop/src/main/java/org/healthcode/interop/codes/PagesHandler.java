package org.healthcode.interop.codes;

import static org.healthcode.interop.codes.CodeResponses.error;
import static org.healthcode.interop.codes.CodeResponses.methodNotAllowed;
import static org.healthcode.interop.codes.CodeResponses.write;

import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.http.Route;

/**
 * The person's and the checkpoint's pages and their files ({@link Route#PERSON_PAGE}, {@link Route#CHECKPOINT_PAGE},
 * {@link Route#WEB_ASSET}): {@code GET /app/{personId}} (or {@code /app/?id=}), {@code GET /checkpoint},
 * {@code GET /web/{file}}. Open to anyone: a page holds nothing until a credentialed call from it fills it.
 */
public final class PagesHandler extends Handler.Abstract {
    private static final String WEB = "/web/";
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final WebAssets assets;

    public PagesHandler(WebAssets assets) {
        this.assets = assets;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Route.of(request);
        if (route != Route.PERSON_PAGE && route != Route.CHECKPOINT_PAGE && route != Route.WEB_ASSET) {
            return false;
        }
        try {
            if (!route.method().equals(request.getMethod())) {
                return methodNotAllowed(response, callback, route.method());
            }
            return switch (route) {
                case PERSON_PAGE -> page(WebAssets.PERSON_PAGE, response, callback);
                case CHECKPOINT_PAGE -> page(WebAssets.CHECKPOINT_PAGE, response, callback);
                default -> asset(Request.getPathInContext(request).substring(WEB.length()), response, callback);
            };
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, callback, e);
        }
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
        return write(
                response, callback, 200, asset.get().contentType(), asset.get().bytes());
    }
}
