package org.healthcode.codes.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The outcome of verifying one code. As JSON, one line: {@code result} always; {@code format}; when valid the colour
 * (our codes) and {@code payload}; otherwise {@code reason} (a {@link FailureReason} code) and {@code detail}.
 *
 * @param format  "HCR1", "HC1" or null when the prefix was not recognised
 * @param colour  our codes only, when valid
 * @param payload the trusted, decoded payload when valid: for our codes issuer, colour, since, validity, code id and
 *                key id, never the subject
 * @param subject our codes only, when valid: the code's sealed subject, which only the issuing region can open
 *                ({@code RegionCodes.resolveSubject}); not part of the JSON
 */
public record Verdict(
        VerdictResult result,
        String format,
        Optional<FailureReason> reason,
        String detail,
        Optional<String> colour,
        Optional<ObjectNode> payload,
        Optional<String> subject) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Verdict valid(String format, Optional<String> colour, ObjectNode payload) {
        return valid(format, colour, payload, Optional.empty());
    }

    public static Verdict valid(String format, Optional<String> colour, ObjectNode payload, Optional<String> subject) {
        return new Verdict(VerdictResult.VALID, format, Optional.empty(), null, colour, Optional.of(payload), subject);
    }

    public static Verdict failed(String format, VerificationFailure failure) {
        return new Verdict(
                failure.reason().result(),
                format,
                Optional.of(failure.reason()),
                failure.getMessage(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public boolean isValid() {
        return result == VerdictResult.VALID;
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("result", result.wire());
        if (format != null) {
            n.put("format", format);
        }
        colour.ifPresent(c -> n.put("colour", c));
        reason.ifPresent(r -> n.put("reason", r.code()));
        if (detail != null) {
            n.put("detail", detail);
        }
        payload.ifPresent(p -> n.set("payload", p));
        return n;
    }

    /** The verdict as a single JSON line (no newline inside). */
    public String toJsonLine() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
