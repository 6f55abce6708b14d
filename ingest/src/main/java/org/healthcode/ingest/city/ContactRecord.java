package org.healthcode.ingest.city;

/**
 * Ground truth of one contact designation: the contact, degree 1 (household or co-worker of the case) or 2
 * (household of a degree-1 co-worker), the case, the last exposure and the designation time (epoch ms).
 * Degree-1 contacts go into central quarantine from designation for 7 days.
 */
public record ContactRecord(int person, int degree, int caseNo, String caseId, long exposure, long designated) {}
