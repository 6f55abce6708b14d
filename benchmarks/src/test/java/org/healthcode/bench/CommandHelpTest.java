package org.healthcode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command of {@code ./healthcode} answers {@code --help} with its usage and options, and exits 0: the
 * commands are read from the script itself, so a new command is covered as soon as it is added. Runs the script
 * as a user does (this module comes last in the build, so every module's classes and class path are there).
 */
class CommandHelpTest {
    /** Commands the script runs itself rather than through a main class. */
    private static final List<String> SCRIPT_ONLY = List.of("build", "test", "help");

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static Stream<String> commands() throws IOException {
        Pattern label = Pattern.compile("^  ([a-z][a-z-]*)(\\|[^)]*)?\\)\\s*$");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("healthcode"), StandardCharsets.UTF_8)) {
            Matcher m = label.matcher(line);
            if (m.matches() && !SCRIPT_ONLY.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        assertThat(names).as("commands found in the script").contains("demo", "job", "replay", "serve");
        return names.stream();
    }

    @ParameterizedTest(name = "./healthcode {0} --help")
    @MethodSource("commands")
    void everyCommandListsItsOptions(String command) throws Exception {
        Path out = Files.createTempFile("help-" + command, ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(
                            "bash", ROOT.resolve("healthcode").toString(), command, "--help")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("HEALTHCODE_SKIP_BUILD", "1");
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("%s --help finished within a minute", command)
                    .isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue())
                    .as("exit code of %s --help; it printed:%n%s", command, text)
                    .isZero();
            assertThat(text.toLowerCase(java.util.Locale.ROOT)).as(command).contains("usage");
            assertThat(text)
                    .as(command)
                    .containsPattern("--[a-z]")
                    .doesNotContain("unknown option")
                    .doesNotContain("Exception");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
