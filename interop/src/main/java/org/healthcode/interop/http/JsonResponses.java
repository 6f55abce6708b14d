package org.healthcode.interop.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON bodies and the {@code {"error": code, "message": ...}} error form shared by every handler. */
public final class JsonResponses {
    public static final String JSON = "application/json";
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {}

    public static boolean error(Response response, Callback callback, ErrorReason reason, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", reason.code());
        body.put("message", message);
        return write(response, callback, reason.httpStatus(), JSON, body.toString());
    }

    public static boolean json(Response response, Callback callback, int status, ObjectNode body) {
        return write(response, callback, status, JSON, body.toString());
    }

    public static boolean write(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
