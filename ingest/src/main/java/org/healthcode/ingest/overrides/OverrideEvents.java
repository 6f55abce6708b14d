package org.healthcode.ingest.overrides;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.OverrideApproval;
import org.healthcode.ingest.proto.OverrideRefusal;
import org.healthcode.ingest.proto.OverrideRequest;
import org.healthcode.ingest.proto.OverrideWithdrawal;
import org.healthcode.ingest.wire.EventTrees;

/**
 * Makes signed override events for the overrides topic: the serving process's side of {@link OverrideSignatures}.
 * The operator is written in canonical form; the signature covers the event's flat JSON form.
 */
public final class OverrideEvents {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private final OverrideSignatures.Signer signer;
    private final String region;

    /** @param region this region's GB/T 2260 code, stamped on every event */
    public OverrideEvents(OverrideSignatures.Signer signer, String region) {
        this.signer = signer;
        this.region = region;
    }

    public org.healthcode.ingest.proto.Event request(
            String eventId,
            Instant time,
            String personId,
            String requestId,
            String colour,
            String basis,
            Instant expiry,
            String operator) {
        long t = millis(time);
        long e = millis(expiry);
        String op = OverrideSignatures.canonicalOperator(operator);
        return signed(common(eventId, EventType.OVERRIDE_REQUEST, t)
                .setPersonId(personId)
                .setOverrideRequest(OverrideRequest.newBuilder()
                        .setRequestId(requestId)
                        .setColour(colour)
                        .setBasis(basis)
                        .setExpiry(format(e))
                        .setRequester(op)));
    }

    public org.healthcode.ingest.proto.Event approval(String eventId, Instant time, String requestId, String operator) {
        long t = millis(time);
        String op = OverrideSignatures.canonicalOperator(operator);
        return signed(common(eventId, EventType.OVERRIDE_APPROVAL, t)
                .setOverrideApproval(
                        OverrideApproval.newBuilder().setRequestId(requestId).setApprover(op)));
    }

    public org.healthcode.ingest.proto.Event refusal(
            String eventId, Instant time, String requestId, String operator, String reason) {
        long t = millis(time);
        String op = OverrideSignatures.canonicalOperator(operator);
        return signed(common(eventId, EventType.OVERRIDE_REFUSAL, t)
                .setOverrideRefusal(OverrideRefusal.newBuilder()
                        .setRequestId(requestId)
                        .setOperator(op)
                        .setReason(reason)));
    }

    public org.healthcode.ingest.proto.Event withdrawal(
            String eventId, Instant time, String requestId, String operator) {
        long t = millis(time);
        String op = OverrideSignatures.canonicalOperator(operator);
        return signed(common(eventId, EventType.OVERRIDE_WITHDRAWAL, t)
                .setOverrideWithdrawal(
                        OverrideWithdrawal.newBuilder().setRequestId(requestId).setOperator(op)));
    }

    private org.healthcode.ingest.proto.Event.Builder common(String eventId, EventType type, long time) {
        org.healthcode.ingest.proto.Event.Builder b = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed(Feed.OVERRIDES.wireName())
                .setType(type.wireName())
                .setEventId(eventId)
                .setTime(format(time));
        if (region != null) {
            b.setRegion(region);
        }
        return b;
    }

    private org.healthcode.ingest.proto.Event signed(org.healthcode.ingest.proto.Event.Builder b) {
        return b.setSignature(signer.sign(EventTrees.toTree(b.build()))).build();
    }

    private static long millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
    }

    /** ISO-8601 with an explicit offset and milliseconds, as the decoder reads it back to the same instant. */
    static String format(long epochMs) {
        return TIME.format(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
    }
}
