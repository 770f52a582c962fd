package io.micromodels.tune.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.MicromodelSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicromodelSpaceTest {
    static final TaskInfo BINARY = new TaskInfo(TaskKind.BINARY, "y", List.of("no", "yes"), 1);
    static final TaskInfo REGRESSION = new TaskInfo(TaskKind.REGRESSION, "t", List.of(), -1);

    static MicromodelSpace space(SpaceConfig config, TaskInfo task) {
        return new MicromodelSpace(config, task, 12, 50, 5, 7L);
    }

    static double[] fill(int n, double v) {
        double[] u = new double[n];
        Arrays.fill(u, v);
        return u;
    }

    @Test
    void defaultSpaceHasEightCoordinatesInLeafOrder() {
        MicromodelSpace s = space(SpaceConfig.defaults(), BINARY);
        assertEquals(8, s.numParameters());
        assertEquals(List.of("depth", "width", "activation", "dropRate", "l1", "l2", "learningRate", "batchSize"),
                s.coordinateNames());
        assertEquals(8, s.collectLeaves().size());
    }

    @Test
    void everyDiscreteBinCentreDecodesToItsLevel() {
        // width searched as an integer range here (not log): 8..20, 13 levels
        SpaceConfig c = new SpaceConfig(new IntRange(1, 3, false), new IntRange(8, 20, false),
                SpaceConfig.defaults().activations(), SpaceConfig.defaults().dropRate(), SpaceConfig.defaults().l1(),
                SpaceConfig.defaults().l2(), SpaceConfig.defaults().learningRate(), SpaceConfig.defaults().batchSizes());
        MicromodelSpace s = space(c, BINARY);
        List<io.micromodels.tune.bayes.Dimension> dims = s.dimensions();
        assertEquals(List.of(io.micromodels.tune.bayes.Dimension.integer(3), io.micromodels.tune.bayes.Dimension.integer(13),
                io.micromodels.tune.bayes.Dimension.categorical(3), io.micromodels.tune.bayes.Dimension.continuous(),
                io.micromodels.tune.bayes.Dimension.continuous(), io.micromodels.tune.bayes.Dimension.continuous(),
                io.micromodels.tune.bayes.Dimension.continuous(), io.micromodels.tune.bayes.Dimension.categorical(4)), dims);
        for (int coordinate : new int[] {0, 1, 2, 7}) {
            int k = dims.get(coordinate).levels();
            for (int i = 0; i < k; i++) {
                double[] u = fill(8, 0.5);
                u[coordinate] = (i + 0.5) / k;
                MicromodelSpec spec = s.getValue(u);
                Object got = switch (coordinate) {
                    case 0 -> spec.hidden().size();
                    case 1 -> spec.hidden().get(0).width();
                    case 2 -> spec.hidden().get(0).activation();
                    default -> spec.batchSize();
                };
                Object expected = switch (coordinate) {
                    case 0 -> 1 + i;
                    case 1 -> 8 + i;
                    case 2 -> c.activations().get(i);
                    default -> c.batchSizes().get(i);
                };
                assertEquals(expected, got, "coordinate " + coordinate + " level " + i + " of " + k);
            }
        }
    }

    @Test
    void cornerZeroGivesTheLowEndOfEveryRange() {
        MicromodelSpec spec = space(SpaceConfig.defaults(), BINARY).getValue(fill(8, 0.0));
        assertEquals(1, spec.hidden().size());
        assertEquals(new HiddenLayer(4, Activation.RELU, 0.0), spec.hidden().get(0));
        assertEquals(1e-7, spec.l1(), 1e-20);
        assertEquals(1e-7, spec.l2(), 1e-20);
        assertEquals(1e-4, spec.updater().learningRate(), 1e-15);
        assertEquals(32, spec.batchSize());
        assertEquals(TaskKind.MULTICLASS, spec.output());
        assertEquals(2, spec.outputs());
        assertEquals(12, spec.inputs());
        assertEquals(50, spec.epochs());
        assertEquals(5, spec.patience());
        assertEquals(7L, spec.seed());
    }

    @Test
    void cornerOneGivesTheHighEndOfEveryRange() {
        MicromodelSpec spec = space(SpaceConfig.defaults(), BINARY).getValue(fill(8, 1.0));
        assertEquals(3, spec.hidden().size());
        for (HiddenLayer h : spec.hidden()) {
            assertEquals(new HiddenLayer(128, Activation.ELU, 0.5), h);
        }
        assertEquals(1e-2, spec.l1(), 1e-15);
        assertEquals(1e-2, spec.l2(), 1e-15);
        assertEquals(0.1, spec.updater().learningRate(), 1e-12);
        assertEquals(256, spec.batchSize());
        // and the spec is valid all the way down to a DL4J configuration
        assertEquals(4, spec.toConfiguration().getConfs().size());
    }

    @Test
    void logScalingPutsTheMiddleAtTheGeometricMean() {
        MicromodelSpec spec = space(SpaceConfig.defaults(), BINARY).getValue(fill(8, 0.5));
        assertEquals(Math.pow(10, -2.5), spec.updater().learningRate(), 1e-9);
        assertEquals(3.162e-3, spec.updater().learningRate(), 1e-6);
        assertEquals(Math.sqrt(1e-7 * 1e-2), spec.l2(), 1e-12);
        assertEquals(Math.round(Math.sqrt(4 * 128)), spec.hidden().get(0).width()); // 22.6 -> 23
        assertEquals(0.25, spec.hidden().get(0).dropRate(), 1e-12);
        assertEquals(2, spec.hidden().size());
        assertEquals(Activation.TANH, spec.hidden().get(0).activation());
    }

    @Test
    void fixedRangesHaveNoCoordinate() {
        SpaceConfig d = SpaceConfig.defaults();
        SpaceConfig fixed = new SpaceConfig(new IntRange(2, 2, false), new IntRange(8, 64, false), List.of(Activation.RELU),
                new Range(0, 0, false), d.l1(), d.l2(), new Range(0.01, 0.01, true), List.of(64));
        MicromodelSpace s = space(fixed, REGRESSION);
        assertEquals(List.of("width", "l1", "l2"), s.coordinateNames());
        MicromodelSpec spec = s.getValue(new double[] {1.0, 0.0, 0.0});
        assertEquals(2, spec.hidden().size());
        assertEquals(64, spec.hidden().get(0).width());
        assertEquals(0.01, spec.updater().learningRate(), 0);
        assertEquals(TaskKind.REGRESSION, spec.output());
        assertEquals(0.0, spec.hidden().get(0).dropRate(), 0);
    }

    @Test
    void everyRandomPointDecodesToAValidSpecWithinTheRanges() {
        MicromodelSpace s = space(SpaceConfig.defaults(), BINARY);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            double[] u = new double[8];
            for (int j = 0; j < 8; j++) {
                u[j] = r.nextDouble();
            }
            MicromodelSpec spec = s.getValue(u);
            int w = spec.hidden().get(0).width();
            assertTrue(w >= 4 && w <= 128, "width " + w);
            double lr = spec.updater().learningRate();
            assertTrue(lr >= 1e-4 && lr <= 0.1, "lr " + lr);
            assertTrue(List.of(32, 64, 128, 256).contains(spec.batchSize()));
        }
    }

    @Test
    void shortInputIsAnError() {
        MicromodelSpace s = space(SpaceConfig.defaults(), BINARY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.getValue(new double[3]));
        assertEquals("input must have 8 values, got 3", e.getMessage());
    }
}
