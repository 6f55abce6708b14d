package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.diagnosis;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.positivePcr;
import static org.healthcode.risk.testing.Fixtures.positivePooled;

import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.Test;

/** Health events make a case found at the earliest positive single tube or confirmed/asymptomatic diagnosis. */
class CaseDetectionTest {

    @Test
    void aPositiveSingleTubeMakesACaseFoundAtItsSamplingTime() {
        CaseFound c = CaseDetection.update(null, positivePcr(ALICE, MONDAY_9AM));
        assertThat(c.foundTime()).isEqualTo(MONDAY_9AM.toEpochMilli());
        assertThat(c.onsetOrFirstPositive()).isEqualTo(MONDAY_9AM.toEpochMilli());
    }

    @Test
    void negativesPooledPositivesAndSuspectedDiagnosesMakeNoCase() {
        assertThat(CaseDetection.update(null, negativePcr(ALICE, MONDAY_9AM))).isNull();
        assertThat(CaseDetection.update(null, positivePooled(ALICE, MONDAY_9AM)))
                .isNull();
        assertThat(CaseDetection.update(null, diagnosis(ALICE, DiagnosisStatus.SUSPECTED, MONDAY_9AM)))
                .isNull();
    }

    @Test
    void anEarlierPositiveArrivingLateMovesTheFoundTimeEarlierWhateverTheOrder() {
        Event diag = confirmed(ALICE, plusDays(MONDAY_9AM, 2));
        Event test = positivePcr(ALICE, MONDAY_9AM);
        CaseFound oneWay = CaseDetection.update(CaseDetection.update(null, diag), test);
        CaseFound otherWay = CaseDetection.update(CaseDetection.update(null, test), diag);
        assertThat(oneWay).isEqualTo(otherWay);
        assertThat(oneWay.foundTime()).isEqualTo(MONDAY_9AM.toEpochMilli());
        assertThat(oneWay.causeEventId()).isEqualTo(test.eventId());
    }

    @Test
    void anOnsetReportedByADiagnosisWinsOverTheFirstPositiveSample() {
        long onset = plusDays(MONDAY_9AM, -3).toEpochMilli();
        Event diag = confirmed(ALICE, plusDays(MONDAY_9AM, 1)).toBuilder()
                .onset(onset)
                .build();
        CaseFound c = CaseDetection.update(CaseDetection.update(null, positivePcr(ALICE, MONDAY_9AM)), diag);
        assertThat(c.onsetOrFirstPositive()).isEqualTo(onset);
    }

    @Test
    void evidenceThatChangesNothingReturnsTheSameInstance() {
        CaseFound c = CaseDetection.update(null, positivePcr(ALICE, MONDAY_9AM));
        assertThat(CaseDetection.update(c, positivePcr(ALICE, plusDays(MONDAY_9AM, 1))))
                .isSameAs(c);
        assertThat(CaseDetection.update(c, negativePcr(ALICE, plusDays(MONDAY_9AM, 1))))
                .isSameAs(c);
    }
}
