package org.healthcode.interop.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers by itself (a request line or headers it cannot parse, no handler took the request, a
 * failure after a handler returned) in the API's JSON form {@code {"error": code, "message": ...}}: the code of
 * {@link ErrorReason#forStatus}, a message naming only the status. Never an HTML page, an exception name or a stack.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s
                ? s
                : response.getStatus() >= 400 ? response.getStatus() : 500;
        ErrorReason reason = ErrorReason.forStatus(status);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON);
        response.write(true, ByteBuffer.wrap(body(reason, status)), callback);
        return true;
    }

    /** Parse errors before any request exists (the connection answers and closes). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON);
        return ByteBuffer.wrap(body(ErrorReason.forStatus(status), status));
    }

    private static byte[] body(ErrorReason reason, int status) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("error", reason.code());
        body.put("message", "HTTP " + status);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
