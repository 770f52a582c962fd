package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

class SerialFilterTest {
    private static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(SerialFilter.filter());
            return in.readObject();
        }
    }

    @Test
    void aNestedHashSetBombIsRejectedFromItsClassDescriptor() throws IOException {
        byte[] bomb = Payloads.hashSetBomb();
        // unfiltered, this would spin for longer than the universe lasts; the timeout only guards the test
        InvalidClassException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(InvalidClassException.class, () -> read(bomb)));
        assertEquals("filter status: REJECTED", e.getMessage());
    }

    @Test
    void anArrayListIsRejected() throws IOException {
        byte[] list = Payloads.arrayList();
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> read(list));
        assertEquals("filter status: REJECTED", e.getMessage());
    }

    @Test
    void anNd4jNormaliserStillReadsThroughTheFilter() throws Exception {
        NormalizerStandardize n = new NormalizerStandardize(Nd4j.createFromArray(1.0f, 2.0f).reshape(1, 2),
                Nd4j.createFromArray(0.5f, 4.0f).reshape(1, 2));
        NormalizerStandardize back = (NormalizerStandardize) read(Payloads.serialise(n));
        assertArrayEquals(new float[] {1, 2}, back.getMean().toFloatVector());
        assertArrayEquals(new float[] {0.5f, 4}, back.getStd().toFloatVector());
    }

    @Test
    void installedJvmWideItRefusesPayloadsButLetsArbiterCopyItsCandidates() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                SerialFilterProcess.class.getName()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> p.waitFor());
        java.util.List<String> lines = out.lines().filter(l -> !l.contains("SLF4J") && !l.contains("INFO")).toList();
        assertEquals(java.util.List.of("installed true", "arbiter copy equal true", "payload filter status: REJECTED",
                "payload filter status: REJECTED"), lines, out);
    }
}
