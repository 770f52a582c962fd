package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optimiser core and the multi-objective maths stay plain Java: an adapter elsewhere connects them to Arbiter. */
class PackageRulesTest {

    @ParameterizedTest
    @CsvSource({"bayes, 5", "pareto, 2"})
    void noNd4jDl4jOrArbiterImports(String pkg, int atLeast) throws IOException {
        Path dir = io.micromodels.TestPaths.core("src/main/java/io/micromodels/tune/" + pkg);
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= atLeast, "found the sources of " + pkg + ": " + sources.size());
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
