package org.healthcode.codes.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A COSE_Sign1 message (RFC 9052 §4.2): protected header bytes, unprotected header, payload, signature.
 *
 * <p>The protected header is kept as its exact bytes because the signature covers those bytes, not a re-encoding.
 */
public record CoseSign1(
        byte[] protectedBytes, JsonNode protectedHeader, JsonNode unprotectedHeader, byte[] payload, byte[] signature) {
    public static final int TAG_COSE_SIGN1 = 18;
    public static final int TAG_CWT = 61;
    static final String LABEL_ALG = "1";
    static final String LABEL_KID = "4";

    /** Parses a COSE_Sign1, untagged, tagged 18, or (as some DCC issuers do) tagged 61 around 18. */
    public static CoseSign1 decode(byte[] bytes) throws CodeFormatException {
        Cbor.Tagged tagged = Cbor.readTagged(bytes);
        Set<Integer> tags = tagged.tags();
        boolean tagsOk =
                tags.isEmpty() || tags.equals(Set.of(TAG_COSE_SIGN1)) || tags.equals(Set.of(TAG_CWT, TAG_COSE_SIGN1));
        if (!tagsOk) {
            throw new CodeFormatException("not a COSE_Sign1: unexpected CBOR tags " + tags);
        }
        JsonNode array = tagged.value();
        if (!array.isArray() || array.size() != 4) {
            throw new CodeFormatException("not a COSE_Sign1: expected an array of 4");
        }
        byte[] protectedBytes = binary(array.get(0), "protected header");
        JsonNode protectedHeader =
                protectedBytes.length == 0 ? JsonNodeFactory.instance.objectNode() : Cbor.read(protectedBytes);
        if (!protectedHeader.isObject()) {
            throw new CodeFormatException("protected header is not a map");
        }
        JsonNode unprotected = array.get(1);
        if (!unprotected.isObject()) {
            throw new CodeFormatException("unprotected header is not a map");
        }
        byte[] payload = binary(array.get(2), "payload");
        byte[] signature = binary(array.get(3), "signature");
        return new CoseSign1(protectedBytes, protectedHeader, unprotected, payload, signature);
    }

    private static byte[] binary(JsonNode node, String what) throws CodeFormatException {
        if (node == null || !node.isBinary()) {
            throw new CodeFormatException(what + " is not a byte string");
        }
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new CodeFormatException(what + " unreadable", e);
        }
    }

    public OptionalLong algorithmId() {
        return Cbor.longAt(protectedHeader, Long.parseLong(LABEL_ALG));
    }

    /**
     * The algorithm from the protected header, else the unprotected one. Only for the EU DCC, where issuers put it
     * there; an unprotected alg is harmless only because the verifier pins the algorithm to the signer's key type.
     */
    public OptionalLong algorithmIdProtectedOrUnprotected() {
        OptionalLong alg = algorithmId();
        return alg.isPresent() ? alg : Cbor.longAt(unprotectedHeader, Long.parseLong(LABEL_ALG));
    }

    /** The key id from the protected header. */
    public Optional<byte[]> protectedKid() {
        return kidIn(protectedHeader);
    }

    /** The key id from the protected header, else from the unprotected one (the DCC allows either). */
    public Optional<byte[]> kidProtectedOrUnprotected() {
        Optional<byte[]> kid = kidIn(protectedHeader);
        return kid.isPresent() ? kid : kidIn(unprotectedHeader);
    }

    private static Optional<byte[]> kidIn(JsonNode header) {
        JsonNode kid = header.get(LABEL_KID);
        if (kid == null || !kid.isBinary()) {
            return Optional.empty();
        }
        try {
            return Optional.of(kid.binaryValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Sig_structure for COSE_Sign1 with empty external AAD: the bytes the signature is computed over. */
    public byte[] toBeSigned() {
        return toBeSigned(protectedBytes, payload);
    }

    public static byte[] toBeSigned(byte[] protectedBytes, byte[] payload) {
        return Cbor.write(g -> {
            g.writeStartArray(null, 4);
            g.writeString("Signature1");
            g.writeBinary(protectedBytes);
            g.writeBinary(new byte[0]);
            g.writeBinary(payload);
            g.writeEndArray();
        });
    }

    /** Protected header {1: alg, 4: kid}. */
    public static byte[] protectedHeader(CoseAlgorithm algorithm, byte[] kid) {
        return Cbor.write(g -> {
            g.writeStartObject(null, 2);
            g.writeFieldId(1);
            g.writeNumber(algorithm.coseId());
            g.writeFieldId(4);
            g.writeBinary(kid);
            g.writeEndObject();
        });
    }

    /** Tagged COSE_Sign1 with an empty unprotected header. */
    public static byte[] encode(byte[] protectedBytes, byte[] payload, byte[] signature) {
        return Cbor.write(g -> {
            g.writeTag(TAG_COSE_SIGN1);
            g.writeStartArray(null, 4);
            g.writeBinary(protectedBytes);
            g.writeStartObject(null, 0);
            g.writeEndObject();
            g.writeBinary(payload);
            g.writeBinary(signature);
            g.writeEndArray();
        });
    }
}
