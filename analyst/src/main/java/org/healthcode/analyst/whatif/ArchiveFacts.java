package org.healthcode.analyst.whatif;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.sources.ArchiveFiles;

/**
 * What the comparison needs from the archive itself, read through ingest's decoder (the same pseudonyms as the
 * replay): every person in it, each person's district (the first {@code districtDigits} digits of the area code of
 * their latest identity binding) and the range of event times.
 *
 * @param population every person id of the archive's accepted events
 * @param districtOf district of each person with an identity binding
 * @param firstEventTime earliest event time (epoch ms), Long.MAX_VALUE when there are no events
 * @param lastEventTime latest event time, Long.MIN_VALUE when there are none
 */
public record ArchiveFacts(
        Set<String> population, Map<String, String> districtOf, long firstEventTime, long lastEventTime) {

    public static ArchiveFacts read(ArchiveFiles archive, EventDecoder decoder, int districtDigits) throws IOException {
        Set<String> population = new HashSet<>();
        Map<String, String> district = new HashMap<>();
        Map<String, Long> boundAt = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Path f : archive.files()) {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(ArchiveFiles.open(f), StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Decoded d = decoder.decodeJsonLine(line.getBytes(StandardCharsets.UTF_8), 0);
                    if (!d.isOk()) {
                        continue;
                    }
                    Event e = d.event();
                    first = Math.min(first, e.time());
                    last = Math.max(last, e.time());
                    if (e.personId() != null) {
                        population.add(e.personId());
                        if (e.type() == EventType.IDENTITY && e.areaCode() != null) {
                            String code = e.areaCode()
                                    .substring(
                                            0,
                                            Math.min(
                                                    districtDigits, e.areaCode().length()));
                            long before = boundAt.getOrDefault(e.personId(), Long.MIN_VALUE);
                            // the latest binding; at the same time the larger code, so line order never matters
                            if (e.time() > before
                                    || e.time() == before && code.compareTo(district.get(e.personId())) > 0) {
                                boundAt.put(e.personId(), e.time());
                                district.put(e.personId(), code);
                            }
                        }
                    }
                }
            }
        }
        return new ArchiveFacts(population, district, first, last);
    }
}
