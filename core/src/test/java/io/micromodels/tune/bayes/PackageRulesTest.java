package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The optimiser core stays plain Java: an adapter elsewhere connects it to Arbiter. */
class PackageRulesTest {

    @Test
    void noNd4jDl4jOrArbiterImports() throws IOException {
        Path dir = io.micromodels.TestPaths.core("src/main/java/io/micromodels/tune/bayes");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= 5, "found the sources");
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                String t = line.trim();
                if (t.startsWith("import ")) {
                    assertTrue(!t.contains("org.nd4j") && !t.contains("org.deeplearning4j")
                            && !t.contains("arbiter"), source.getFileName() + ": " + t);
                }
            }
        }
    }
}
