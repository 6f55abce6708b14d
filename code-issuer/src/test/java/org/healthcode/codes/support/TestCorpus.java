package org.healthcode.codes.support;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test corpora kept as test resources of this module (each with its licence and a note of its origin). */
public final class TestCorpus {
    private TestCorpus() {}

    /** The directory of the test resource {@code name}; fails if it is not on the test class path. */
    public static Path directory(String name) {
        URL url = TestCorpus.class.getClassLoader().getResource(name + "/ORIGIN.md");
        if (url == null) {
            throw new IllegalStateException("test corpus missing from the test class path: " + name);
        }
        try {
            Path dir = Path.of(url.toURI()).getParent();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("test corpus is not a directory: " + dir);
            }
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test corpus location is not a path: " + url, e);
        }
    }
}
