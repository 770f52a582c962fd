package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import org.junit.jupiter.api.Test;

/** The cost meter: parameter counts by hand, medians, the rows it times; no timing is asserted beyond being measured. */
class FrozenCostTest {

    static double[][] rows(int n, int width) {
        double[][] x = new double[n][width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                x[i][j] = Math.sin(i * 7 + j);
            }
        }
        return x;
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, FrozenCost.median(new double[] {3, 1, 2}));
        assertEquals(2.5, FrozenCost.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, FrozenCost.median(new double[] {7}));
    }

    @Test
    void measuresAHandBuiltNetworkOnAtMost256Rows() {
        FrozenNetwork net = FrozenNetwork.of(
                FrozenLayer.dense(new double[][] {{0.5, -1, 0}, {2, 1, 1}}, new double[] {0, 0.1, 0}, Activation.RELU),
                FrozenLayer.dense(new double[][] {{1, -1}, {-1, 1}, {0.5, 0.5}}, new double[] {0, 0}, Activation.SOFTMAX));
        FrozenCost cost = new FrozenCost(rows(1000, 2));
        assertEquals(FrozenCost.ROWS, cost.rows());
        assertEquals(3, new FrozenCost(rows(3, 2)).rows());
        FrozenCost.Cost c = cost.measure(net);
        assertEquals(2 * 3 + 3 + 3 * 2 + 2, c.params(), "weights and biases of a 2-3-2 network");
        assertTrue(Double.isFinite(c.latencyNs()) && c.latencyNs() > 0, "latency " + c.latencyNs());
        assertTrue(Double.isFinite(c.rowsPerSecond()) && c.rowsPerSecond() > 0, "rows per second " + c.rowsPerSecond());
        assertTrue(Double.isFinite(cost.sink()), "the passes' outputs were used");
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> new FrozenCost(rows(4, 3)).measure(net));
        assertEquals("the network takes 2 features, the rows have 3", wide.getMessage());
    }

    @Test
    void aSpecWithoutANetworkIsMeasuredOnItsArchitecture() {
        MicromodelSpec spec = Micromodel.classifier(2).input(5).dense(8, Activation.TANH).dense(4, Activation.RELU).adam(0.01).build();
        FrozenCost.Cost c = new FrozenCost(rows(50, 5)).measure(spec, null);
        assertEquals(5 * 8 + 8 + 8 * 4 + 4 + 4 * 2 + 2, c.params());
        assertTrue(c.latencyNs() > 0 && c.rowsPerSecond() > 0);
    }
}
