package io.micromodels.bench.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.FrozenNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The benchmark's frozen copy computes DL4J's function, and a tiny run prints the table and the headline last. */
class InferenceBenchmarkTest {

    @Test
    void frozenCopyMatchesDl4j() {
        MultiLayerNetwork net = InferenceBenchmark.referenceDl4j(1, WorkspaceMode.ENABLED);
        FrozenNetwork frozen = InferenceBenchmark.freeze(net);
        assertEquals("10-32-32-2", frozen.shape());
        assertEquals(net.numParams(), frozen.parameterCount());
        double[] x = FrozenInferenceBench.randomRows(3, 64, 10);
        for (int i = 0; i < x.length; i++) x[i] = (float) x[i];
        float[][] d = net.output(Nd4j.create(x, new long[] {64, 10}, DataType.FLOAT)).toFloatMatrix();
        double[] out = new double[64 * 2];
        frozen.predictBatch(x, 64, out);
        for (int r = 0; r < 64; r++) {
            for (int j = 0; j < 2; j++) assertEquals(d[r][j], out[r * 2 + j], 1e-6);
        }
        net.close();
    }

    @Test
    void tinyRunEndsWithTheHeadline() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double speedup = InferenceBenchmark.run(InferenceBenchmark.Options.parse("--no-torch", "--rounds", "1", "--round-ms", "20",
                "--warmup-ms", "50"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("single-row speedup vs DL4J: [0-9]+\\.[0-9]"), last);
        assertTrue(speedup > 0);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("frozen predict ")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.equals("PyTorch: skipped (--no-torch)")), String.join("\n", lines));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> InferenceBenchmark.Options.parse("--bogus"));
        assertThrows(IllegalArgumentException.class, () -> InferenceBenchmark.Options.parse("--rounds"));
        assertThrows(IllegalArgumentException.class, () -> InferenceBenchmark.Options.parse("--rounds", "0"));
        assertEquals(5, InferenceBenchmark.Options.parse("--quick").rounds());
    }
}
