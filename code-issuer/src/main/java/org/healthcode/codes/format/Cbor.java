package org.healthcode.codes.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * CBOR reading and writing on Jackson's CBOR format.
 *
 * <p>Reading yields Jackson trees. Jackson turns integer map keys into their decimal text ("-260"), so the claim
 * and header labels are looked up by that text; a text key "4" and an integer key 4 read alike. We accept that:
 * the maps where it could matter (protected header, claims) are covered by the signature, and we write integer
 * keys ourselves.
 */
public final class Cbor {
    public static final CBORMapper MAPPER = new CBORMapper();
    private static final CBORFactory FACTORY = MAPPER.getFactory();

    private Cbor() {}

    /** A decoded top-level item and the tags that stood in front of it. */
    public record Tagged(JsonNode value, Set<Integer> tags) {}

    public static JsonNode read(byte[] bytes) throws CodeFormatException {
        return readTagged(bytes).value();
    }

    /** Reads exactly one item; trailing bytes fail. Records the top-level tags (COSE 18, CWT 61, ...). */
    public static Tagged readTagged(byte[] bytes) throws CodeFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new CodeFormatException("empty CBOR");
        }
        try (CBORParser parser = FACTORY.createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new CodeFormatException("empty CBOR");
            }
            Set<Integer> tags = topTags(parser);
            JsonNode node = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new CodeFormatException("bytes after the CBOR item");
            }
            return new Tagged(node, tags);
        } catch (IOException | RuntimeException e) {
            throw new CodeFormatException("not CBOR: " + e.getMessage(), e);
        }
    }

    private static Set<Integer> topTags(CBORParser parser) {
        CBORParser.TagList list = parser.getCurrentTags();
        if (list == null || list.size() == 0) {
            return Set.of();
        }
        // TagList exposes membership only; the tags we care about are few and known.
        java.util.Set<Integer> found = new java.util.TreeSet<>();
        for (int tag : new int[] {16, 17, 18, 61, 96, 97, 98}) {
            if (list.contains(tag)) {
                found.add(tag);
            }
        }
        if (found.size() != list.size()) {
            found.add(-1); // an unexpected tag: callers reject any set they do not know
        }
        return Set.copyOf(found);
    }

    /** Writes one CBOR item through a callback on a definite-length generator. */
    public static byte[] write(CborWriting body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A body that writes one item. */
    @FunctionalInterface
    public interface CborWriting {
        void writeTo(CBORGenerator generator) throws IOException;
    }

    /** Integer value of a map entry addressed by its integer label, if it is an integral number. */
    public static java.util.OptionalLong longAt(JsonNode map, long label) {
        JsonNode v = map == null ? null : map.get(Long.toString(label));
        if (v == null || !v.isNumber()) {
            return java.util.OptionalLong.empty();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return java.util.OptionalLong.of(v.longValue());
        }
        // Some issuers write times as floats; whole seconds are what counts.
        return java.util.OptionalLong.of((long) Math.floor(v.doubleValue()));
    }
}
