package org.healthcode.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A frozen copy of a module's run-time class path for a child process: the module's compiled classes and this
 * project's own jars (the ones a rebuild rewrites: installed, or in a module's target) are copied into a scratch "project root"; third-party jars stay
 * where they are. A benchmark runs for minutes on a machine where others rebuild the same modules, and a jar swapped
 * under a running JVM fails it with NoClassDefFoundError (seen: the risk job failing over in a loop).
 */
public final class ClassPathSnapshot {
    private ClassPathSnapshot() {}

    /**
     * Copies {@code module}'s class path from {@code projectRoot} into {@code snapshotRoot} (laid out like a project
     * root, so ModuleProcess can start from it) and returns {@code snapshotRoot}.
     */
    public static Path take(Path projectRoot, String module, Path snapshotRoot) throws IOException {
        Path from = projectRoot.resolve(module).resolve("target");
        Path to = snapshotRoot.resolve(module).resolve("target");
        Path jars = to.resolve("jars");
        Files.createDirectories(jars);
        copyTree(from.resolve("classes"), to.resolve("classes"));
        String cp = Files.readString(from.resolve("classpath.txt"), StandardCharsets.UTF_8)
                .trim();
        List<String> entries = new ArrayList<>();
        for (String entry : cp.split(":")) {
            Path p = Path.of(entry);
            boolean ours =
                    entry.contains("/org/healthcode/") || p.toAbsolutePath().startsWith(projectRoot.toAbsolutePath());
            if (ours && Files.isRegularFile(p)) {
                Path copy = jars.resolve(p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        Files.writeString(to.resolve("classpath.txt"), String.join(":", entries), StandardCharsets.UTF_8);
        return snapshotRoot;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
