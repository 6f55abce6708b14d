package org.healthcode.bench.jobs;

import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.contacts.GridProjection;

/**
 * Sequence number -> feed event of one synthetic city day for the contacts benchmark: every phone is bound to its
 * person the day before, then pings once per half hour (48 pings), home (a cell of a {@code side} x {@code side} grid)
 * until 9:00, work (another cell) until 18:00, home again; one person in {@code casesEvery} tests positive at the end
 * of the day.
 *
 * <p>The sequence is cut into {@code groups} equal ranges (the parallel source's splits, one per subtask), and each
 * range is a group of phones in time order: bindings, the pings half-hour by half-hour, the cases. So each source
 * subtask's watermark follows its own pings and no ping is late.
 */
public final class SyntheticCityDay implements MapFunction<Long, Event> {

    static final long DAY0 = Instant.parse("2022-04-04T00:00:00+08:00").toEpochMilli();
    static final long HALF_HOUR = 1_800_000L;
    public static final int PINGS_PER_PHONE = 48;
    private static final String REGION = "440106";

    private final int groups;
    private final int phonesPerGroup;
    private final int casesEvery;
    private final int side;
    private final GridProjection grid;

    /**
     * @param phones phones (and persons) in the city, a multiple of {@code groups}
     * @param groups source subtasks
     * @param casesEvery one case per this many persons
     * @param side the city is side x side cells of the default grid
     */
    public SyntheticCityDay(int phones, int groups, int casesEvery, int side) {
        if (phones < 1 || groups < 1 || phones % groups != 0 || casesEvery < 1 || side < 1) {
            throw new IllegalArgumentException("phones must be a positive multiple of groups (phones " + phones
                    + ", groups " + groups + "), casesEvery and side positive");
        }
        this.groups = groups;
        this.phonesPerGroup = phones / groups;
        this.casesEvery = casesEvery;
        this.side = side;
        this.grid = GridProjection.of(ContactRules.defaults());
    }

    /** Cases of one group: its persons {@code 0, casesEvery, 2 casesEvery, ...}. */
    public long casesPerGroup() {
        return (phonesPerGroup + casesEvery - 1) / casesEvery;
    }

    /** Events of one group. */
    public long eventsPerGroup() {
        return (long) phonesPerGroup * (1 + PINGS_PER_PHONE) + casesPerGroup();
    }

    /** Events of the whole city day (the sequence runs from 0 to this - 1). */
    public long events() {
        return eventsPerGroup() * groups;
    }

    public long pings() {
        return (long) phonesPerGroup * groups * PINGS_PER_PHONE;
    }

    public long cases() {
        return casesPerGroup() * groups;
    }

    @Override
    public Event map(Long idx) {
        long perGroup = eventsPerGroup();
        long group = idx / perGroup;
        long i = idx % perGroup;
        long first = group * phonesPerGroup;
        if (i < phonesPerGroup) {
            long phone = first + i;
            return Event.builder("b" + phone, EventType.IDENTITY, DAY0 - 86_400_000L, REGION)
                    .msisdn("m" + phone)
                    .personId("p" + phone)
                    .build();
        }
        i -= phonesPerGroup;
        long pings = (long) phonesPerGroup * PINGS_PER_PHONE;
        if (i < pings) {
            int slot = (int) (i / phonesPerGroup);
            long phone = first + i % phonesPerGroup;
            boolean atWork = slot >= 18 && slot < 36;
            long h = mix(phone * 2L + (atWork ? 1 : 0));
            int cx = (int) Math.floorMod(h, (long) side);
            int cy = (int) Math.floorMod(h >>> 20, (long) side);
            double jitterX = Math.floorMod(h >>> 40, 700L) + 50;
            double jitterY = Math.floorMod(h >>> 50, 700L) + 50;
            long t = DAY0 + slot * HALF_HOUR + Math.floorMod(h >>> 8, 600_000L);
            return Event.builder("g" + idx, EventType.PING, t, REGION)
                    .msisdn("m" + phone)
                    .lat(grid.latAt(cy * 800.0 + jitterY))
                    .lon(grid.lonAt(cx * 800.0 + jitterX))
                    .build();
        }
        long person = first + (i - pings) * casesEvery;
        return Event.builder("c" + person, EventType.TEST_RESULT, DAY0 + 86_400_000L, REGION)
                .personId("p" + person)
                .method("pcr")
                .positive(true)
                .pooled(false)
                .build();
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
