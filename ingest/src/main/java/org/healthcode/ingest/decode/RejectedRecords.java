package org.healthcode.ingest.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The two written forms of a {@link Rejected} (docs/events.md), in one place so the job, replay and tools agree.
 *
 * <p>File form, one JSON line: {@code {"line":N,"category":...,"field":...,"reason":...,"raw":"<the line>"}};
 * a record from Kafka has {@code "source":"topic/partition@offset"} instead of {@code line}. {@code raw} is the
 * original bytes as UTF-8 text; when they are not valid UTF-8 (Protobuf, garbage) they are given as
 * {@code "rawBase64"} instead. {@code field} is null when the record as a whole is bad.
 *
 * <p>Kafka form: value = the original bytes; headers {@code reason}, {@code category}, {@code field} (only when
 * known) and {@code source}, UTF-8.
 */
public final class RejectedRecords {
    public static final String HEADER_REASON = "reason";
    public static final String HEADER_CATEGORY = "category";
    public static final String HEADER_FIELD = "field";
    public static final String HEADER_SOURCE = "source";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedRecords() {}

    public static ObjectNode toTree(Rejected r) {
        ObjectNode n = JSON.createObjectNode();
        if (r.topic() == null) {
            n.put("line", r.line());
        } else {
            n.put("source", r.source());
        }
        n.put("category", r.category());
        n.put("field", r.field());
        n.put("reason", r.reason());
        byte[] raw = r.raw() == null ? new byte[0] : r.raw();
        String text = utf8OrNull(raw);
        if (text != null) {
            n.put("raw", text);
        } else {
            n.put("rawBase64", Base64.getEncoder().encodeToString(raw));
        }
        return n;
    }

    /** The JSON line for {@code rejected.jsonl}, without the line terminator. */
    public static String toJsonLine(Rejected r) {
        try {
            return JSON.writeValueAsString(toTree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a flat tree of strings and numbers always serialises", e);
        }
    }

    public static List<Header> toKafkaHeaders(Rejected r) {
        List<Header> headers = new ArrayList<>(4);
        headers.add(header(HEADER_REASON, r.reason()));
        headers.add(header(HEADER_CATEGORY, r.category()));
        if (r.field() != null) {
            headers.add(header(HEADER_FIELD, r.field()));
        }
        headers.add(header(HEADER_SOURCE, r.source()));
        return headers;
    }

    /** The record for the {@code rejected} topic: no key, the original bytes, the headers. */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, Rejected r) {
        return new ProducerRecord<>(topic, null, null, null, r.raw(), toKafkaHeaders(r));
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8OrNull(byte[] raw) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
