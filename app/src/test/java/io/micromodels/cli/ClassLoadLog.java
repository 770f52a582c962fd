package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a child JVM's {@code -Xlog:class+load} file: which classes a command on the frozen form loaded. */
final class ClassLoadLog {
    private ClassLoadLog() {
    }

    /**
     * Fails unless the log shows {@code marker} loaded and no ND4J, DL4J, DataVec or native (bytedeco) class. Building
     * the command tree makes picocli load TrainCommand, whose bytecode verification loads (does not initialise) the
     * two DataSet container types: those two are allowed.
     *
     * @param classLog the log file
     * @param marker   a class the command must have loaded (proves the log works)
     */
    static void assertFrozenOnly(Path classLog, String marker) throws IOException {
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains(marker), "class log works");
        List<String> allowed = List.of(" org.nd4j.linalg.dataset.api.DataSet ", " org.nd4j.linalg.dataset.DataSet ");
        List<String> heavy = loaded.lines().filter(l -> l.contains(" org.nd4j.") || l.contains(" org.bytedeco.")
                || l.contains(" org.deeplearning4j.") || l.contains(" org.datavec."))
                .filter(l -> allowed.stream().noneMatch(l::contains)).toList();
        assertTrue(heavy.isEmpty(), "ND4J/DL4J classes were loaded:\n" + String.join("\n", heavy));
    }
}
