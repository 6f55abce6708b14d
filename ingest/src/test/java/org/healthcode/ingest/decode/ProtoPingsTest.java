package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_ID;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.Scan;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

/**
 * The carrier-ping shortcut ({@link ProtoPings}) against the decoder's general path: on every record, valid, bad or
 * odd, {@code decodeProto} must give exactly what the general path gives; the shortcut must take the valid pings and
 * leave the rest.
 */
class ProtoPingsTest {
    private final StandardEventDecoder decoder = IngestFixtures.decoder();
    private final Pseudonymiser pseudonymiser = IngestFixtures.pseudonymiser();

    private static org.healthcode.ingest.proto.Event.Builder ping() {
        return org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("carrier")
                .setType("ping")
                .setEventId("cmcc-1")
                .setTime("2022-04-01T09:30:00+08:00")
                .setRegion("440100")
                .setMsisdn("+8613800138000")
                .setPing(Ping.newBuilder().setLat(23.1291).setLon(113.2644));
    }

    private static List<byte[]> validPings() {
        List<byte[]> v = new ArrayList<>();
        v.add(ping().build().toByteArray());
        v.add(ping().clearRegion().build().toByteArray());
        v.add(ping().setMsisdn("13800138000").build().toByteArray());
        v.add(ping().setMsisdn("008613800138000").build().toByteArray());
        v.add(ping().setMsisdn("123456").build().toByteArray());
        v.add(ping().setTime("2022-04-01T01:30:00Z").build().toByteArray());
        v.add(ping().setTime("2022-04-01T09:30:00.125+08:00").build().toByteArray());
        v.add(ping().setTime("2099-12-31T23:59:59+00:00").build().toByteArray());
        v.add(ping().setEventId("x".repeat(128)).build().toByteArray());
        v.add(ping().setEventId("事件-1").build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(-90).setLon(-180)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(90).setLon(180)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(0).setLon(0)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(-0.0).setLon(-0.0))
                .build()
                .toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLon(1).setLat(2)).build().toByteArray());
        v.add(ping().setIdNumber(ALICE_ID).setPersonId("abc").build().toByteArray()); // not read for a ping
        // fields in another order than the generated code writes them
        byte[] body = Ping.newBuilder().setLat(22.5).setLon(114.1).build().toByteArray();
        v.add(concat(field(50, body), ping().clearPing().build().toByteArray()));
        return v;
    }

    private static List<byte[]> otherRecords() {
        List<byte[]> v = new ArrayList<>();
        v.add(new byte[0]);
        v.add(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01});
        v.add(ping().setFeed("health").build().toByteArray());
        v.add(ping().clearFeed().build().toByteArray());
        v.add(ping().setFeed("carrierx").build().toByteArray());
        v.add(ping().setType("scan").build().toByteArray());
        v.add(ping().clearType().build().toByteArray());
        v.add(ping().setType("pings").build().toByteArray());
        v.add(ping().clearPing().build().toByteArray());
        v.add(ping().setScan(Scan.newBuilder().setVenueId("v").setAreaCode("440100"))
                .build()
                .toByteArray());
        v.add(ping().clearEventId().build().toByteArray());
        v.add(ping().setEventId("x".repeat(129)).build().toByteArray());
        v.add(ping().clearTime().build().toByteArray());
        v.add(ping().setTime("2022-13-01").build().toByteArray());
        v.add(ping().setTime("2022-04-01T09:30:00").build().toByteArray());
        v.add(ping().setTime("1999-12-31T23:59:59+08:00").build().toByteArray());
        v.add(ping().setTime("2100-01-01T00:00:00+00:00").build().toByteArray());
        v.add(ping().setRegion("44010").build().toByteArray());
        v.add(ping().setRegion("44010x").build().toByteArray());
        v.add(ping().clearMsisdn().build().toByteArray());
        v.add(ping().setMsisdn("12345").build().toByteArray());
        v.add(ping().setMsisdn("+86-138").build().toByteArray());
        v.add(ping().setMsisdn("1234567890123456").build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLon(1)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(1)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder()).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(90.0001).setLon(1))
                .build()
                .toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(1).setLon(-180.5)).build().toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(Double.NaN).setLon(1))
                .build()
                .toByteArray());
        v.add(ping().setPing(Ping.newBuilder().setLat(1).setLon(Double.POSITIVE_INFINITY))
                .build()
                .toByteArray());
        byte[] valid = ping().build().toByteArray();
        // a repeated field (Protobuf: the last one wins) and a repeated body (Protobuf: merged)
        v.add(concat(valid, ping().clearPing().setEventId("cmcc-2").build().toByteArray()));
        v.add(concat(valid, field(50, Ping.newBuilder().setLat(-1).build().toByteArray())));
        v.add(concat(valid, field(50, new byte[0])));
        // an unknown field, of each wire type
        v.add(concat(valid, new byte[] {(byte) (9 << 3), 1}));
        v.add(concat(valid, field(12, new byte[] {1, 2})));
        v.add(concat(valid, new byte[] {(byte) (13 << 3 | 5), 0, 0, 0, 0}));
        v.add(concat(valid, new byte[] {(byte) (14 << 3 | 1), 0, 0, 0, 0, 0, 0, 0, 0}));
        // a known field with another wire type
        v.add(concat(valid, new byte[] {(byte) (3 << 3), 7}));
        // an unknown field inside the ping body
        v.add(concat(
                ping().clearPing().build().toByteArray(),
                field(50, concat(Ping.newBuilder().setLat(1).setLon(2).build().toByteArray(), field(3, new byte[] {1
                })))));
        // a float-typed lat (wire type 5) inside the body
        v.add(concat(ping().clearPing().build().toByteArray(), field(50, new byte[] {
            (byte) (1 << 3 | 5), 0, 0, (byte) 0x80, 0x3f, (byte) (2 << 3 | 1), 0, 0, 0, 0, 0, 0, 0, 0
        })));
        // invalid UTF-8 in a string field: the event id, and the person id a ping does not use
        v.add(concat(ping().clearEventId().build().toByteArray(), field(3, new byte[] {'a', (byte) 0xc3})));
        v.add(concat(valid, field(7, new byte[] {(byte) 0xff})));
        // truncated
        v.add(java.util.Arrays.copyOf(valid, valid.length - 3));
        v.add(java.util.Arrays.copyOf(valid, 5));
        return v;
    }

    @Test
    void validPingsTakeTheShortcutAndDecodeAsTheGeneralPathDecodesThem() {
        for (byte[] value : validPings()) {
            Event fast = ProtoPings.decode(value, pseudonymiser);
            assertThat(fast).as("shortcut taken for %s", hex(value)).isNotNull();
            Decoded general = decoder.decodeProtoGenerally(value, "carrier", 3, 99);
            assertThat(general.isOk()).as("%s", general.rejected()).isTrue();
            assertThat(fast).isEqualTo(general.event());
            assertSame(decoder.decodeProto(value, "carrier", 3, 99), general);
        }
    }

    @Test
    void everyOtherRecordIsLeftToTheGeneralPath() {
        for (byte[] value : otherRecords()) {
            assertThat(ProtoPings.decode(value, pseudonymiser))
                    .as("shortcut not taken for %s", hex(value))
                    .isNull();
            assertSame(
                    decoder.decodeProto(value, "carrier", 3, 99),
                    decoder.decodeProtoGenerally(value, "carrier", 3, 99));
        }
    }

    @Test
    void mutatedPingsDecodeExactlyAsTheGeneralPathDecodesThem() {
        Random random = new Random(7);
        List<byte[]> seeds = validPings();
        int fast = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] value = seeds.get(random.nextInt(seeds.size())).clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                switch (random.nextInt(3)) {
                    case 0 -> value[random.nextInt(value.length)] = (byte) random.nextInt(256);
                    case 1 -> value[random.nextInt(value.length)] ^= (byte) (1 << random.nextInt(8));
                    default -> value = java.util.Arrays.copyOf(value, random.nextInt(value.length + 1));
                }
                if (value.length == 0) {
                    break;
                }
            }
            Decoded general = decoder.decodeProtoGenerally(value, "carrier", 3, i);
            assertSame(decoder.decodeProto(value, "carrier", 3, i), general);
            if (ProtoPings.decode(value, pseudonymiser) != null) {
                fast++;
            }
            if (!general.isOk()) {
                rejected++;
            }
        }
        // the mutants must exercise both sides: some still valid pings, many rejected
        assertThat(fast).isGreaterThan(500);
        assertThat(rejected).isGreaterThan(5_000);
    }

    private static void assertSame(Decoded actual, Decoded expected) {
        assertThat(actual.event()).isEqualTo(expected.event());
        if (expected.rejected() == null) {
            assertThat(actual.rejected()).isNull();
            return;
        }
        Rejected a = actual.rejected();
        Rejected e = expected.rejected();
        assertThat(a.category()).isEqualTo(e.category());
        assertThat(a.field()).isEqualTo(e.field());
        assertThat(a.reason()).isEqualTo(e.reason());
        assertThat(a.raw()).isEqualTo(e.raw());
        assertThat(a.source()).isEqualTo(e.source());
    }

    private static byte[] field(int number, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(number << 3 | 2);
        if (number >= 16) {
            // a two-byte tag: (number << 3 | 2) as a varint
            out.reset();
            int tag = number << 3 | 2;
            out.write(tag & 0x7f | 0x80);
            out.write(tag >>> 7);
        }
        out.write(payload.length);
        out.write(payload, 0, payload.length);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
