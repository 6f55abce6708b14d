package org.healthcode.risk.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.wire.EventTrees;
import org.healthcode.risk.events.AuditRecord;

/**
 * Audits the rejected records of the overrides feed as refused: a request without a basis or an expiry never
 * reaches the review, but it must still leave a trace. Recognised by the topic ({@code overrides}, with any prefix)
 * or, for file lines, by {@code feed}/{@code type}. Only the request id and operator are taken from the record; the
 * person is left out, since a rejected record may carry a raw ID number.
 */
public class OverrideRejections implements FlatMapFunction<Rejected, AuditRecord> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "override_";

    @Override
    public void flatMap(Rejected r, Collector<AuditRecord> out) {
        JsonNode tree = tree(r.raw());
        String type = text(tree, "type");
        boolean fromOverridesTopic = r.topic() != null && r.topic().endsWith(Feed.OVERRIDES.wireName());
        boolean overrideLine =
                Feed.OVERRIDES.wireName().equals(text(tree, "feed")) || (type != null && type.startsWith(PREFIX));
        if (!fromOverridesTopic && !overrideLine) {
            return;
        }
        String action = type != null && type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : "unknown";
        String operator = firstText(tree, "requester", "approver", "operator");
        String eventId = text(tree, "eventId");
        out.collect(new AuditRecord(
                eventId != null ? eventId : r.source(),
                timeOf(tree),
                action,
                AuditRecord.REFUSED,
                text(tree, "requestId"),
                null,
                operator,
                "none",
                text(tree, "colour"),
                null,
                null,
                r.reason()));
    }

    /** The record's event time when it can be read, else 0 (unreadable records sort first). */
    private static long timeOf(JsonNode tree) {
        String t = text(tree, "time");
        if (t == null) {
            return 0;
        }
        try {
            return org.healthcode.contracts.wire.IsoTimes.parse(t);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static JsonNode tree(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(raw);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (java.io.IOException notJson) {
            // a Kafka record: Protobuf
        }
        try {
            return EventTrees.toTree(org.healthcode.ingest.proto.Event.parseFrom(raw));
        } catch (com.google.protobuf.InvalidProtocolBufferException garbage) {
            return null;
        }
    }

    private static String text(JsonNode tree, String field) {
        if (tree == null) {
            return null;
        }
        JsonNode v = tree.get(field);
        return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
    }

    private static String firstText(JsonNode tree, String... fields) {
        for (String f : fields) {
            String v = text(tree, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
