package org.healthcode.ingest.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_ID;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_PHONE;
import static org.healthcode.ingest.testing.IngestFixtures.BOB_ID;
import static org.healthcode.ingest.testing.IngestFixtures.secret;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PseudonymiserTest {
    private final Pseudonymiser region = new Pseudonymiser(secret(7));

    @Test
    void personIdIsStableUrlSafeAnd22Characters() {
        String a = region.personId(ALICE_ID);
        assertThat(a).hasSize(22).matches("[A-Za-z0-9_-]{22}");
        assertThat(PersonIds.isValid(a)).isTrue();
        assertThat(new Pseudonymiser(secret(7)).personId(ALICE_ID)).isEqualTo(a);
        assertThat(region.personId(BOB_ID)).isNotEqualTo(a);
    }

    @Test
    void aDifferentSecretGivesADifferentPseudonym() {
        assertThat(new Pseudonymiser(secret(8)).personId(ALICE_ID)).isNotEqualTo(region.personId(ALICE_ID));
        assertThat(new Pseudonymiser(secret(8)).phoneId(ALICE_PHONE)).isNotEqualTo(region.phoneId(ALICE_PHONE));
    }

    @Test
    void lowerCaseCheckCharacterNamesTheSamePerson() {
        assertThat(region.personId(ALICE_ID.toLowerCase())).isEqualTo(region.personId(ALICE_ID));
    }

    @Test
    void phoneSpellingsOfOneMobileGiveOnePseudonym() {
        String p = region.phoneId(ALICE_PHONE);
        assertThat(region.phoneId("+86" + ALICE_PHONE)).isEqualTo(p);
        assertThat(region.phoneId("0086" + ALICE_PHONE)).isEqualTo(p);
        assertThat(region.phoneId("+44" + ALICE_PHONE)).isNotEqualTo(p);
    }

    @Test
    void phoneAndPersonDomainsNeverMeet() {
        // the same digits as an ID number and as a phone: different domains, different pseudonyms
        String digits = "440524188001010014";
        assertThat(region.personId(digits))
                .isNotEqualTo(new Pseudonymiser(secret(7)).phoneId("+" + digits.substring(0, 15)));
        assertThat(region.personId(BOB_ID)).isNotEqualTo(region.phoneId(BOB_ID.substring(0, 15)));
    }

    @Test
    void survivesJavaSerialisationWithTheSameKey() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(region);
        }
        Pseudonymiser copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Pseudonymiser) in.readObject();
        }
        assertThat(copy.personId(ALICE_ID)).isEqualTo(region.personId(ALICE_ID));
    }

    @Test
    void refusesInvalidInput() {
        assertThatThrownBy(() -> region.personId("110105194912310021"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("110105194912310021");
        assertThatThrownBy(() -> region.phoneId("12ab")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idNumbersCheckTheStandardsExamplesAndTheirCorruptions() {
        assertThat(IdNumbers.isValid(ALICE_ID)).isTrue();
        assertThat(IdNumbers.isValid(BOB_ID)).isTrue();
        assertThat(IdNumbers.problem("440524188001010015")).contains("check character");
        assertThat(IdNumbers.problem("440524188013010019")).contains("birth date");
        assertThat(IdNumbers.problem("44052418800101001")).contains("18 characters");
        String made = IdNumbers.of("440106", LocalDate.of(1990, 2, 28), 123);
        assertThat(IdNumbers.isValid(made)).isTrue();
        assertThat(made).startsWith("44010619900228123");
    }

    @Test
    void personIdFormatAcceptsOnlyUrlSafeIdsUpTo64() {
        assertThat(PersonIds.isValid("abc-DEF_09")).isTrue();
        assertThat(PersonIds.isValid("a".repeat(64))).isTrue();
        assertThat(PersonIds.isValid("a".repeat(65))).isFalse();
        assertThat(PersonIds.isValid("")).isFalse();
        assertThat(PersonIds.isValid(null)).isFalse();
        assertThat(PersonIds.isValid("a/b")).isFalse();
        assertThat(PersonIds.isValid("a b")).isFalse();
        assertThat(PersonIds.isValid("a+b=")).isFalse();
    }

    @Test
    void nationalPseudonymIsKeyedAndDiffersFromTheRegionalOne() {
        NationalPseudonym national = new NationalPseudonym(secret(7).bytes());
        assertThat(national.of(ALICE_ID)).hasSize(22).isNotEqualTo(region.personId(ALICE_ID));
        assertThat(new NationalPseudonym(secret(7).bytes()).of(ALICE_ID)).isEqualTo(national.of(ALICE_ID));
        assertThat(new NationalPseudonym(secret(9).bytes()).of(ALICE_ID)).isNotEqualTo(national.of(ALICE_ID));
    }
}
