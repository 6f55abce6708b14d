package org.healthcode.codes.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared beside the project root, from whichever directory the tests run in. */
public final class SharedTestData {
    private SharedTestData() {
    }

    /** The project root: the nearest directory upwards whose pom.xml declares modules. */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    /** {@code ../shared/testdata/<name>} relative to the project root; fails if it is not there. */
    public static Path testdata(String name) {
        Path p = projectRoot().resolve("..").resolve("shared").resolve("testdata").resolve(name).normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("test corpus missing: " + p + " (expected ../shared beside the project)");
        }
        return p;
    }
}
