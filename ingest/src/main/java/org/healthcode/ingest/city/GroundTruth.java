package org.healthcode.ingest.city;

import java.util.List;

/**
 * What really happened in a synthetic city: its cases and their contacts, for tests and demos to check against.
 *
 * @param cases the infections
 * @param contacts the contact designations of the tracing team
 * @param planted the planted outbreak's contacts and near-misses (empty when planting is off or the run is shorter
 *     than {@link PlantedContacts#MIN_DAYS} days)
 */
public record GroundTruth(List<CaseRecord> cases, List<ContactRecord> contacts, List<PlantedContact> planted) {

    public GroundTruth(List<CaseRecord> cases, List<ContactRecord> contacts) {
        this(cases, contacts, List.of());
    }

    /** The case with the earliest positive sample (the first person a demo can show as red). */
    public CaseRecord firstCase() {
        return cases.stream()
                .min(java.util.Comparator.comparingLong(CaseRecord::positiveSample))
                .orElseThrow();
    }
}
