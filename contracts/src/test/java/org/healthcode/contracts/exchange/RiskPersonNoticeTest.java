package org.healthcode.contracts.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.contracts.testing.Golden.NOTICE_CATEGORY;
import static org.healthcode.contracts.testing.Golden.NOTICE_COLOUR;
import static org.healthcode.contracts.testing.Golden.NOTICE_EXPIRY;
import static org.healthcode.contracts.testing.Golden.NOTICE_FROM;
import static org.healthcode.contracts.testing.Golden.NOTICE_JSON;
import static org.healthcode.contracts.testing.Golden.NOTICE_KEY;
import static org.healthcode.contracts.testing.Golden.NOTICE_NATIONAL_ID;
import static org.healthcode.contracts.testing.Golden.NOTICE_SINCE;
import static org.healthcode.contracts.testing.Golden.NOTICE_TO;

import org.junit.jupiter.api.Test;

class RiskPersonNoticeTest {
    private static final RiskPersonNotice GOLDEN = RiskPersonNotice.of(
            NOTICE_FROM, NOTICE_TO, NOTICE_NATIONAL_ID, NOTICE_COLOUR, NOTICE_CATEGORY, NOTICE_SINCE, NOTICE_EXPIRY);

    @Test
    void theIdempotencyKeyIsTheFirst128BitsOfSha256OverTheContent() {
        assertThat(GOLDEN.idempotencyKey()).isEqualTo(NOTICE_KEY);
    }

    @Test
    void aNoticeIsWrittenAndReadBackAsThePinnedJson() {
        assertThat(GOLDEN.toJson().toString()).isEqualTo(NOTICE_JSON);
        RiskPersonNotice read = RiskPersonNotice.parse(NOTICE_JSON);
        assertThat(read).isEqualTo(GOLDEN);
        assertThat(read.problems()).isEmpty();
    }

    @Test
    void aCategoryOutsideTheListIsAProblem() {
        RiskPersonNotice n = RiskPersonNotice.of(
                NOTICE_FROM,
                NOTICE_TO,
                NOTICE_NATIONAL_ID,
                NOTICE_COLOUR,
                "close_contact",
                NOTICE_SINCE,
                NOTICE_EXPIRY);
        assertThat(n.problems()).singleElement().asString().startsWith("reasonCategory: one of");
    }

    @Test
    void reasonCodesMapToTheirCategoriesAndUnknownOnesToOther() {
        assertThat(ReasonCategories.of("positive_test")).isEqualTo(ReasonCategories.INFECTION);
        assertThat(ReasonCategories.of("same_vehicle_rest")).isEqualTo(ReasonCategories.CONTACT);
        assertThat(ReasonCategories.of("medium_risk_area")).isEqualTo(ReasonCategories.RISK_AREA);
        assertThat(ReasonCategories.of("cross_region_risk")).isEqualTo(ReasonCategories.OTHER);
        assertThat(ReasonCategories.ALL).hasSize(4);
    }
}
