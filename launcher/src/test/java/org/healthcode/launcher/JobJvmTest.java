package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobJvmTest {

    @Test
    void refinementIsDeferredUpToJava19AndLeftAloneFrom20() {
        assertThat(JobJvm.gcOptions(17)).contains("-XX:-G1UseAdaptiveConcRefinement");
        assertThat(JobJvm.gcOptions(19)).isEqualTo(JobJvm.gcOptions(17));
        assertThat(JobJvm.gcOptions(20)).isEmpty();
        assertThat(JobJvm.gcOptions(21)).isEmpty();
    }

    @Test
    void aJobJvmGetsItsHeapThenTheCollectorOptionsThenTheExtraOnes() {
        List<String> expected = new ArrayList<>(List.of("-Xmx2g"));
        expected.addAll(JobJvm.gcOptions());
        expected.add("-Dextra=1");
        assertThat(JobJvm.jvmOptions(List.of("-Xmx2g"), List.of("-Dextra=1"))).containsExactlyElementsOf(expected);
    }

    @Test
    void thisJavaStartsWithTheOptions() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JobJvm.gcOptions());
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("Ignoring option").doesNotContain("warning");
        if (!JobJvm.gcOptions().isEmpty()) {
            assertThat(out).containsPattern("G1ConcRefinementGreenZone\\s+= 1000000");
        }
    }
}
