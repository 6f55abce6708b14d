package org.healthcode.ingest.decode;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.pseudonym.Msisdns;
import org.healthcode.ingest.pseudonym.Pseudonymiser;

/**
 * The decoder's shortcut for the one record kind that is most of every feed: a well-formed Protobuf carrier ping.
 * It reads the wire format directly (no generated message, no JSON tree) and accepts only a record whose every
 * field is one a ping may carry, each at most once, with every check of the general path passed; it then builds
 * the same {@link Event} the general path builds. Anything else, a bad or unusual record included, returns null and
 * goes the general way, which names the problem: so results are the general path's, byte for byte
 * ({@code ProtoPingsTest} compares both on valid, bad and odd records).
 */
final class ProtoPings {
    private static final int MAX_EVENT_ID = 128;
    private static final byte[] CARRIER = "carrier".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    // field numbers of healthcode.events.v1.Event and Ping (events.proto)
    private static final int FEED = 1;
    private static final int TYPE = 2;
    private static final int EVENT_ID = 3;
    private static final int TIME = 4;
    private static final int REGION = 5;
    private static final int ID_NUMBER = 6;
    private static final int PERSON_ID = 7;
    private static final int MSISDN = 8;
    private static final int PING_BODY = 50;
    private static final int LAT = 1;
    private static final int LON = 2;

    private ProtoPings() {}

    /** The ping the general path would decode from {@code value}, or null when this record is not a plain valid ping. */
    static Event decode(byte[] value, Pseudonymiser pseudonymiser) {
        if (value.length == 0) {
            return null;
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            long seen = 0; // one bit per field number read
            boolean feedOk = false;
            boolean typeOk = false;
            String eventId = null;
            String time = null;
            String region = null;
            String msisdn = null;
            double lat = 0;
            double lon = 0;
            boolean hasLat = false;
            boolean hasLon = false;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int field = tag >>> 3;
                if ((tag & 7) != 2 || field > 63) {
                    return null; // every field of a ping is length-delimited
                }
                long bit = 1L << field;
                if ((seen & bit) != 0) {
                    return null; // a repeated field: the general path's merge rules decide
                }
                seen |= bit;
                switch (field) {
                    case FEED -> feedOk = Arrays.equals(in.readByteArray(), CARRIER);
                    case TYPE -> typeOk = Arrays.equals(in.readByteArray(), PING);
                    case EVENT_ID -> eventId = in.readStringRequireUtf8();
                    case TIME -> time = in.readStringRequireUtf8();
                    case REGION -> region = in.readStringRequireUtf8();
                    case ID_NUMBER, PERSON_ID -> in.readStringRequireUtf8(); // not read for a ping, but must parse
                    case MSISDN -> msisdn = in.readStringRequireUtf8();
                    case PING_BODY -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (true) {
                            int t = in.readTag();
                            if (t == 0) {
                                break;
                            }
                            if (t == (LAT << 3 | 1) && !hasLat) {
                                lat = in.readDouble();
                                hasLat = true;
                            } else if (t == (LON << 3 | 1) && !hasLon) {
                                lon = in.readDouble();
                                hasLon = true;
                            } else {
                                return null;
                            }
                        }
                        in.popLimit(limit);
                    }
                    default -> {
                        return null; // another body, an unknown field
                    }
                }
            }
            if (!feedOk || !typeOk || (seen & (1L << PING_BODY)) == 0) {
                return null;
            }
            if (eventId == null || eventId.isEmpty() || eventId.length() > MAX_EVENT_ID) {
                return null;
            }
            if (time == null || time.isEmpty()) {
                return null;
            }
            long ms = IsoTimes.parse(time);
            if (!IsoTimes.inRange(ms)) {
                return null;
            }
            if (region != null && region.isEmpty()) {
                region = null;
            }
            if (region != null && !FieldReader.isAreaCode(region)) {
                return null;
            }
            if (msisdn == null || msisdn.isEmpty() || Msisdns.problem(msisdn) != null) {
                return null;
            }
            if (!hasLat || !(lat >= -90 && lat <= 90) || !hasLon || !(lon >= -180 && lon <= 180)) {
                return null;
            }
            return Event.ping(eventId, ms, region, pseudonymiser.phoneId(msisdn), lat, lon);
        } catch (IOException | RuntimeException e) { // a bad time (DateTimeParseException) included
            return null;
        }
    }
}
