package org.healthcode.codes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.healthcode.codes.support.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyMainTest {
    @TempDir
    Path workDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void issuedCodeFromStdinIsValidWithExitZeroAndOneJsonLine() throws Exception {
        String[] keys = {
            "init", "--work-dir", workDir.toString(), "--region", "440000", "--at", "2022-04-04T09:00+08:00"
        };
        assertThat(KeysMain.run(keys, new PrintStream(new ByteArrayOutputStream()), System.err))
                .isZero();
        ByteArrayOutputStream issued = new ByteArrayOutputStream();
        assertThat(IssueMain.run(
                        new String[] {
                            "--work-dir",
                            workDir.toString(),
                            "--region",
                            "440000",
                            "--subject",
                            "p-alice",
                            "--colour",
                            "green",
                            "--at",
                            "2022-04-04T09:00+08:00",
                            "--png",
                            workDir.resolve("c.png").toString()
                        },
                        new PrintStream(issued),
                        System.err))
                .isZero();
        String code = issued.toString(StandardCharsets.UTF_8).strip();
        String list = workDir.resolve("trust").resolve("440000.json").toString();

        int rc = verify(code + "\n", "-", "--trust-list", list, "--at", "2022-04-04T01:01:00");
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1);
        assertThat(lastVerdict().get("colour").asText()).isEqualTo("green");

        out.reset();
        assertThat(verify(
                        "",
                        "--qr",
                        workDir.resolve("c.png").toString(),
                        "--trust-list",
                        list,
                        "--at",
                        "2022-04-04T09:30:00+08:00"))
                .isEqualTo(1);
        assertThat(lastVerdict().get("result").asText()).isEqualTo("expired");
    }

    @Test
    void offlineVerificationStopsWhenTheTrustListFileExpiresAndResumesWithAFreshOne() throws Exception {
        String init = "2022-04-04T09:00:00+08:00";
        String eightDaysOn = "2022-04-12T09:00:00+08:00";
        assertThat(KeysMain.run(
                        new String[] {"init", "--work-dir", workDir.toString(), "--region", "440000", "--at", init},
                        new PrintStream(new ByteArrayOutputStream()),
                        System.err))
                .isZero();
        Path list = workDir.resolve("trust").resolve("440000.json");
        Path oldList = Files.copy(list, workDir.resolve("old-list.json"));
        ByteArrayOutputStream issued = new ByteArrayOutputStream();
        assertThat(IssueMain.run(
                        new String[] {
                            "--work-dir",
                            workDir.toString(),
                            "--region",
                            "440000",
                            "--subject",
                            "p-alice",
                            "--colour",
                            "yellow",
                            "--at",
                            eightDaysOn
                        },
                        new PrintStream(issued),
                        System.err))
                .isZero();
        String code = issued.toString(StandardCharsets.UTF_8).strip();

        // the list the checkpoint fetched at init is valid 7 days: a fresh code from day 8 is not trusted on it
        assertThat(verify("", code, "--trust-list", oldList.toString(), "--at", eightDaysOn))
                .isEqualTo(1);
        JsonNode stale = lastVerdict();
        assertThat(stale.get("result").asText()).isEqualTo("trust_list_expired");
        assertThat(stale.get("detail").asText()).contains("fetch a new one");

        out.reset();
        assertThat(KeysMain.run(
                        new String[] {
                            "publish", "--work-dir", workDir.toString(), "--region", "440000", "--at", eightDaysOn
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        System.err))
                .isZero();
        assertThat(verify("", code, "--trust-list", list.toString(), "--at", eightDaysOn))
                .isZero();
        assertThat(lastVerdict().get("colour").asText()).isEqualTo("yellow");
    }

    @Test
    void euDccWithSignerListAndClockWithoutOffset() throws Exception {
        JsonNode de = new ObjectMapper()
                .readTree(TestCorpus.directory("dcc")
                        .resolve("DE/2DCode/raw/1.json")
                        .toFile());
        Path dsc = workDir.resolve("dsc.txt");
        Files.writeString(
                dsc, "# DE test signer\n" + de.at("/TESTCTX/CERTIFICATE").asText() + "\n");
        String clock = de.at("/TESTCTX/VALIDATIONCLOCK").asText();

        assertThat(verify("", de.get("PREFIX").asText(), "--dsc", dsc.toString(), "--at", clock))
                .isZero();
        JsonNode verdict = lastVerdict();
        assertThat(verdict.get("format").asText()).isEqualTo("HC1");
        assertThat(verdict.at("/payload/hcert/ver").isTextual()).isTrue();
    }

    @Test
    void unreadableTrustListIsAUsageErrorWithoutVerdict() {
        assertThat(verify(
                        "",
                        "HCR1:X",
                        "--trust-list",
                        workDir.resolve("missing.json").toString()))
                .isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read trust list");
    }

    private int verify(String stdin, String... args) {
        return VerifyMain.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode lastVerdict() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
    }
}
