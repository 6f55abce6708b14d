package org.healthcode.ingest.city;

import java.util.List;
import org.healthcode.ingest.events.DiagnosisStatus;

/**
 * Ground truth of one infection: who, when the positive single-tube sample was taken, the diagnosis, and the
 * derived times (epoch ms). Times after the end of the run are facts of the scenario whose events were not emitted.
 *
 * @param caseNo 0-based number of the case
 * @param caseId the tracing team's case number, as the contact designations carry it
 * @param person resident index
 * @param symptomatic true when the case visited a fever clinic before the positive test
 * @param feverVisit time of the fever-clinic visit, or -1
 * @param pooledTube residents whose pooled tube (with the case) tested positive before the single-tube test; empty when none
 * @param pooledSample sampling time of that pooled tube, or -1
 * @param positiveSample sampling time of the positive single-tube PCR
 * @param diagnosis confirmed (symptomatic) or asymptomatic
 * @param diagnosed time of the diagnosis
 * @param discharged time of the discharge diagnosis
 */
public record CaseRecord(
        int caseNo,
        String caseId,
        int person,
        boolean symptomatic,
        long feverVisit,
        List<Integer> pooledTube,
        long pooledSample,
        long positiveSample,
        DiagnosisStatus diagnosis,
        long diagnosed,
        long discharged) {}
