package org.healthcode.ingest.city;

import java.util.List;

/** What really happened in a synthetic city: its cases and their contacts, for tests and demos to check against. */
public record GroundTruth(List<CaseRecord> cases, List<ContactRecord> contacts) {

    /** The case with the earliest positive sample (the first person a demo can show as red). */
    public CaseRecord firstCase() {
        return cases.stream().min(java.util.Comparator.comparingLong(CaseRecord::positiveSample)).orElseThrow();
    }
}
