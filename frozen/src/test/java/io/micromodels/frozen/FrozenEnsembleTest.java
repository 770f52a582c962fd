package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An ensemble of frozen networks reports the average of its members, and round-trips through JSON version 2. */
class FrozenEnsembleTest {

    static List<FrozenNetwork> members(Activation output, int outputs, int n) {
        List<FrozenNetwork> nets = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            nets.add(TestNets.random(100 + m, Activation.RELU, output, 5, 7 + m, outputs));
        }
        return nets;
    }

    @Test
    void reportsTheMembersAverageSingleAndBatch() throws Exception {
        IdentityPipeline pipeline = IdentityPipeline.of("a", "b", "c", "d", "e");
        for (int kind = 0; kind < 3; kind++) {
            FrozenMetadata md = kind == 0 ? FrozenMetadata.binary("y", "no", "yes")
                    : kind == 1 ? FrozenMetadata.multiclass("y", List.of("a", "b", "c"))
                    : FrozenMetadata.regression("y", 3.5, -2);
            Activation out = kind == 0 ? Activation.SIGMOID : kind == 1 ? Activation.SOFTMAX : Activation.IDENTITY;
            int outputs = kind == 0 ? 1 : kind == 1 ? 3 : 1;
            List<FrozenNetwork> nets = members(out, outputs, 4);
            FrozenMicromodel ensemble = FrozenMicromodel.of(pipeline, nets, md);
            Random rnd = new Random(kind);
            int n = 37;
            double[] flat = new double[n * 5];
            double[][] rows = new double[n][];
            for (int r = 0; r < n; r++) {
                rows[r] = TestNets.randomRow(rnd, 5);
                if (r % 2 == 0) { // zeros, as one-hot columns give: the fused single-row path skips them
                    rows[r][1] = 0;
                    rows[r][3] = 0;
                }
                System.arraycopy(rows[r], 0, flat, r * 5, 5);
            }
            double[] batch = new double[n * ensemble.outputWidth()];
            ensemble.predictFeaturesBatch(flat, n, batch);
            for (int r = 0; r < n; r++) {
                // independent expectation: the naive forward pass of each member, averaged, then the metadata mapping
                double[] mean = new double[outputs];
                for (FrozenNetwork net : nets) {
                    double[] y = TestNets.naiveForward(net, rows[r]);
                    for (int j = 0; j < outputs; j++) {
                        mean[j] += y[j] / nets.size();
                    }
                }
                double[] expected = kind == 0 ? new double[] {1 - mean[0], mean[0]}
                        : kind == 1 ? mean : new double[] {mean[0] * 3.5 - 2};
                double[] single = new double[ensemble.outputWidth()];
                ensemble.predictFeatures(rows[r], single);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], single[j], 1e-12, "kind " + kind + " row " + r + " output " + j);
                    assertEquals(single[j], batch[r * expected.length + j], 1e-12, "batch = single");
                }
            }
            FrozenMicromodel back = FrozenMicromodel.fromJson(ensemble.toJson());
            assertEquals(ensemble, back);
            assertTrue(ensemble.toJson().replaceAll("\\s", "").contains("\"version\":2,") && ensemble.toJson().contains("\"networks\""));
            assertEquals(4, back.members().size());
        }
    }

    @Test
    void oneNetworkIsWrittenAsVersionOneAndMismatchedMembersAreRefused() {
        IdentityPipeline pipeline = IdentityPipeline.of("a", "b", "c", "d", "e");
        FrozenMetadata md = FrozenMetadata.multiclass("y", List.of("a", "b", "c"));
        FrozenMicromodel one = FrozenMicromodel.of(pipeline, members(Activation.SOFTMAX, 3, 1), md);
        assertTrue(one.toJson().replaceAll("\\s", "").contains("\"version\":1,") && one.toJson().contains("\"network\""));
        List<FrozenNetwork> bad = new ArrayList<>(members(Activation.SOFTMAX, 3, 2));
        bad.add(TestNets.random(9, Activation.RELU, Activation.SOFTMAX, 5, 4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrozenMicromodel.of(pipeline, bad, md));
        assertTrue(e.getMessage().contains("ensemble member 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrozenMicromodel.of(pipeline, List.of(), md));
    }
}
