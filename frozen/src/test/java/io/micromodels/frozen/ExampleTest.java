package io.micromodels.frozen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Javadoc examples of {@link FrozenMicromodel} and the package, run end to end (the server's is in frozen-server). */
class ExampleTest {
    @Test
    void javadocExampleRuns(@TempDir Path dir) throws Exception {
        FrozenNetwork net = FrozenNetwork.of(
                FrozenLayer.dense(new double[][] {{0.5, -1}, {2, 1}}, new double[] {0, 0.1}, Activation.RELU),
                FrozenLayer.dense(new double[][] {{1, -1}, {-1, 1}}, new double[] {0, 0}, Activation.SOFTMAX));
        FrozenMicromodel m = FrozenMicromodel.of(IdentityPipeline.of("x0", "x1"), net, FrozenMetadata.binary("y", "no", "yes"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        FrozenMicromodel back = FrozenMicromodel.read(new ByteArrayInputStream(out.toByteArray()));

        Path zip = dir.resolve("model.zip");
        back.saveZip(zip);
        FrozenMicromodel model = FrozenMicromodel.load(zip);
        // x = (1, 2): hidden = relu([0.5 + 4, -1 + 2 + 0.1]) = [4.5, 1.1]; logits = [3.4, -3.4]
        Prediction p = model.predict(Map.of("x0", "1", "x1", "2"));
        assertEquals("no", p.label());
        assertEquals(1 / (1 + Math.exp(-6.8)), p.probability(p.label()), 1e-15);

        double[] features = {1, 2};
        double[] probabilities = new double[model.outputWidth()];
        model.predictFeatures(features, probabilities);
        assertEquals(p.probability("yes"), probabilities[1], 0.0);
    }
}
