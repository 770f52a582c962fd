package io.micromodels;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the source tree for tests, found from where the test classes were loaded rather than from the working
 * directory, so a test runs the same from Maven in the module, from the root, or from an IDE.
 */
public final class TestPaths {

    private TestPaths() {
    }

    /** The project root: the first folder above the test classes that holds {@code datasets/} and {@code core/}. */
    public static Path root() {
        Path p;
        try {
            p = Path.of(TestPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("datasets")) && Files.isDirectory(d.resolve("core"))) {
                return d;
            }
        }
        throw new IllegalStateException("no project root (with datasets/ and core/) above " + p);
    }

    /** A bundled dataset's CSV file, e.g. {@code dataset("german_credit.csv")}. */
    public static Path dataset(String file) {
        return root().resolve("datasets").resolve(file);
    }

    /** A file of the core module, e.g. {@code core("src/main/java")}. */
    public static Path core(String relative) {
        return root().resolve("core").resolve(relative);
    }
}
