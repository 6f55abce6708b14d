package org.healthcode.contracts.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A risk person pushed from one region to another (区域协查): only the national pseudonym, colour, a reason
 * category (never the reason or its events), since and expiry. {@code idempotencyKey} is derived from the content
 * ({@link #idempotencyKey}), so a redelivery, or the same fact enqueued twice, is recognised by the receiver. The job
 * writes notices to {@code exchange-out}, the serving process writes its own, pushes them and receives others'.
 */
public record RiskPersonNotice(
        String idempotencyKey,
        String fromRegion,
        String toRegion,
        String nationalId,
        String colour,
        String reasonCategory,
        Instant since,
        Instant expiry) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A notice with its content-derived idempotency key. */
    public static RiskPersonNotice of(
            String from, String to, String nationalId, String colour, String category, Instant since, Instant expiry) {
        return new RiskPersonNotice(
                idempotencyKey(from, to, nationalId, colour, category, since, expiry),
                from,
                to,
                nationalId,
                colour,
                category,
                since,
                expiry);
    }

    /**
     * The idempotency key of a notice with this content: the first 128 bits of SHA-256 over
     * {@code from|to|nationalId|colour|category|since|expiry} (instants in ISO-8601 UTC), in hex. A notice made again
     * from the same facts (a request replayed after a restore) has the same key.
     */
    public static String idempotencyKey(
            String from, String to, String nationalId, String colour, String category, Instant since, Instant expiry) {
        String material = String.join("|", from, to, nationalId, colour, category, since.toString(), expiry.toString());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Every problem with a received notice; empty when it may be ingested. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (idempotencyKey == null || !idempotencyKey.matches("[A-Za-z0-9_-]{8,64}")) {
            p.add("idempotencyKey: 8 to 64 URL-safe characters");
        }
        if (fromRegion == null || !fromRegion.matches("\\d{6}") || toRegion == null || !toRegion.matches("\\d{6}")) {
            p.add("fromRegion/toRegion: six-digit codes");
        }
        if (nationalId == null || !nationalId.matches("[A-Za-z0-9_-]{1,64}")) {
            p.add("nationalId: a national pseudonym");
        }
        if (!"red".equals(colour) && !"yellow".equals(colour) && !"green".equals(colour)) {
            p.add("colour: red or yellow (green withdraws the region's earlier record)");
        }
        if (!ReasonCategories.ALL.contains(reasonCategory)) {
            p.add("reasonCategory: one of " + ReasonCategories.ALL);
        }
        if (since == null || expiry == null || !expiry.isAfter(since)) {
            p.add("since/expiry: instants, expiry after since");
        }
        return p;
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("idempotencyKey", idempotencyKey);
        n.put("fromRegion", fromRegion);
        n.put("toRegion", toRegion);
        n.put("nationalId", nationalId);
        n.put("colour", colour);
        n.put("reasonCategory", reasonCategory);
        n.put("since", since.toString());
        n.put("expiry", expiry.toString());
        return n;
    }

    /**
     * The event the receiving region's job ingests: a Protobuf feed {@code Event} on the {@code interop} topic
     * (docs/events.md, type {@code risk_person}). Its time is {@code received}: a record pushed days after the person
     * turned red in the issuing region must not be rejected as late; {@code since} travels in the body.
     */
    public org.healthcode.ingest.proto.Event toEvent(Instant received) {
        return org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("interop")
                .setType("risk_person")
                .setEventId("xr-" + idempotencyKey)
                .setTime(received.toString())
                .setRegion(fromRegion)
                .setRiskPerson(org.healthcode.ingest.proto.RiskPerson.newBuilder()
                        .setNationalId(nationalId)
                        .setColour(colour)
                        .setReasonCategory(reasonCategory)
                        .setSince(since.toString())
                        .setExpiry(expiry.toString()))
                .build();
    }

    /** Parses a notice; throws IllegalArgumentException when a field is missing or not an instant. */
    public static RiskPersonNotice parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return new RiskPersonNotice(
                    n.path("idempotencyKey").asText(null),
                    n.path("fromRegion").asText(null),
                    n.path("toRegion").asText(null),
                    n.path("nationalId").asText(null),
                    n.path("colour").asText(null),
                    n.path("reasonCategory").asText(null),
                    Instant.parse(n.path("since").asText()),
                    Instant.parse(n.path("expiry").asText()));
        } catch (java.io.IOException | java.time.DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("not a risk-person notice: " + e.getMessage(), e);
        }
    }
}
