package io.micromodels.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.Loss;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import io.micromodels.spec.Updater;
import io.micromodels.train.EpochReport;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Population#fitRows}: K members on K different row sets of one pool (the folds of a cross-validation) each get
 * what training that member alone on its rows gives, within the population tests' float tolerance.
 */
class PopulationRowsTest {
    static final int BATCH = 25;

    /** Three folds of unequal size (30, 33, 33 validation rows), so the training sets and their last minibatch differ. */
    static List<int[]> validationFolds() {
        List<int[]> folds = new ArrayList<>();
        int[] sizes = {30, 33, 33};
        int at = 0;
        for (int size : sizes) {
            int[] f = new int[size];
            for (int i = 0; i < size; i++) {
                f[i] = (at + i) * 7 % PopulationEngineTest.N; // 7 is coprime with 96: a scattered permutation
            }
            at += size;
            folds.add(f);
        }
        return folds;
    }

    static int[] complement(int[] fold) {
        boolean[] in = new boolean[PopulationEngineTest.N];
        for (int r : fold) {
            in[r] = true;
        }
        int[] out = new int[PopulationEngineTest.N - fold.length];
        int j = 0;
        for (int r = 0; r < in.length; r++) {
            if (!in[r]) {
                out[j++] = r;
            }
        }
        return out;
    }

    static DataSet rows(DataSet d, int[] rows) {
        return new DataSet(d.getFeatures().getRows(rows), d.getLabels().getRows(rows));
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void eachFoldGetsWhatTrainingItAloneGives(TaskKind kind) {
        int outputs = kind == TaskKind.MULTICLASS ? 3 : kind == TaskKind.BINARY ? 1 : 2;
        INDArray[] d = PopulationEngineTest.data(kind, outputs, 5);
        DataSet pool = new DataSet(d[0], d[1]);
        List<int[]> val = validationFolds();
        List<int[]> train = val.stream().map(PopulationRowsTest::complement).toList();
        List<MicromodelSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<HiddenLayer> hidden = List.of(new HiddenLayer(12 + 4 * i, Activation.TANH, i == 1 ? 0.2 : 0),
                    new HiddenLayer(8, Activation.RELU, i == 2 ? 0.1 : 0));
            specs.add(new MicromodelSpec(PopulationEngineTest.IN, hidden, kind, outputs, Loss.defaultFor(kind),
                    Updater.adam(0.01 + 0.005 * i), 0, i == 0 ? 1e-3 : 0, 11 + i, 14, BATCH, 3));
        }
        PopulationOptions options = PopulationOptions.defaults(77).withCompactionThreshold(0.5);
        try (PopulationResult together = Population.fitRows(specs, pool, train, val, options, null)) {
            for (int i = 0; i < 3; i++) {
                try (PopulationResult alone = Population.fit(List.of(specs.get(i)), rows(pool, train.get(i)),
                        rows(pool, val.get(i)), options.withRecordTrainingLoss(false))) {
                    TrainingResult a = alone.member(0);
                    TrainingResult t = together.member(i);
                    assertEquals(a.epochsRun(), t.epochsRun(), "fold " + i + " epochs");
                    assertEquals(a.bestEpoch(), t.bestEpoch(), "fold " + i + " best epoch");
                    assertEquals(a.stop(), t.stop(), "fold " + i + " stop");
                    for (int e = 0; e < a.epochsRun(); e++) {
                        EpochReport ra = a.history().get(e);
                        EpochReport rt = t.history().get(e);
                        assertEquals(ra.validationLoss(), rt.validationLoss(), 1e-4 * ra.validationLoss(),
                                "fold " + i + " epoch " + (e + 1));
                    }
                    float[] pa = a.network().params().toFloatVector();
                    float[] pt = t.network().params().toFloatVector();
                    for (int j = 0; j < pa.length; j++) {
                        assertEquals(pa[j], pt[j], 1e-4, "fold " + i + " parameter " + j);
                    }
                }
            }
        }
    }

    /**
     * Per-example weights in the pool's labels mask (class weights) weight each fold's training and validation loss
     * exactly as {@link Population#fit} weights the fold's rows trained alone; and they matter (the weighted and the
     * unweighted fold models part by far more than the tolerance).
     */
    @ParameterizedTest
    @EnumSource(value = TaskKind.class, names = {"MULTICLASS", "BINARY"})
    void weightedFoldsGetWhatWeightedTrainingAloneGives(TaskKind kind) {
        int outputs = kind == TaskKind.MULTICLASS ? 3 : 1;
        INDArray[] d = PopulationEngineTest.data(kind, outputs, 6);
        INDArray labels = d[1];
        float[] w = new float[PopulationEngineTest.N];
        for (int r = 0; r < w.length; r++) {
            // class 0 (or the negative class) weighs 2.5, the others 0.6: as balanced weights of a skewed target
            boolean first = kind == TaskKind.BINARY ? labels.getDouble(r, 0) < 0.5 : labels.getDouble(r, 0) > 0.5;
            w[r] = first ? 2.5f : 0.6f;
        }
        INDArray mask = org.nd4j.linalg.factory.Nd4j.createFromArray(w).reshape(w.length, 1);
        DataSet pool = new DataSet(d[0], labels, null, mask);
        List<int[]> val = validationFolds();
        List<int[]> train = val.stream().map(PopulationRowsTest::complement).toList();
        List<MicromodelSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<HiddenLayer> hidden = List.of(new HiddenLayer(10 + 3 * i, Activation.TANH, i == 1 ? 0.2 : 0));
            specs.add(new MicromodelSpec(PopulationEngineTest.IN, hidden, kind, outputs, Loss.defaultFor(kind),
                    Updater.adam(0.02), 0, 1e-3, 21 + i, 12, BATCH, 3));
        }
        PopulationOptions options = PopulationOptions.defaults(78).withCompactionThreshold(0.5);
        try (PopulationResult together = Population.fitRows(specs, pool, train, val, options, null);
             PopulationResult unweighted = Population.fitRows(specs, new DataSet(d[0], labels), train, val, options, null)) {
            for (int i = 0; i < 3; i++) {
                try (PopulationResult alone = Population.fit(List.of(specs.get(i)), weighted(pool, train.get(i)),
                        weighted(pool, val.get(i)), options.withRecordTrainingLoss(false))) {
                    TrainingResult a = alone.member(0);
                    TrainingResult t = together.member(i);
                    assertEquals(a.epochsRun(), t.epochsRun(), "fold " + i + " epochs");
                    assertEquals(a.bestEpoch(), t.bestEpoch(), "fold " + i + " best epoch");
                    for (int e = 0; e < a.epochsRun(); e++) {
                        assertEquals(a.history().get(e).validationLoss(), t.history().get(e).validationLoss(),
                                1e-4 * a.history().get(e).validationLoss(), "fold " + i + " epoch " + (e + 1));
                    }
                    float[] pa = a.network().params().toFloatVector();
                    float[] pt = t.network().params().toFloatVector();
                    float[] pu = unweighted.member(i).network().params().toFloatVector();
                    double apart = 0;
                    for (int j = 0; j < pa.length; j++) {
                        assertEquals(pa[j], pt[j], 1e-4, "fold " + i + " parameter " + j);
                        apart = Math.max(apart, Math.abs(pu[j] - pa[j]));
                    }
                    assertTrue(apart > 1e-2, "fold " + i + ": weights changed the parameters by only " + apart);
                }
            }
        }
    }

    static DataSet weighted(DataSet d, int[] rows) {
        return new DataSet(d.getFeatures().getRows(rows), d.getLabels().getRows(rows), null,
                d.getLabelsMaskArray().getRows(rows));
    }

    @Test
    void foldsMustTakeTheSameNumberOfMinibatches() {
        INDArray[] d = PopulationEngineTest.data(TaskKind.REGRESSION, 1, 5);
        DataSet pool = new DataSet(d[0], d[1]);
        MicromodelSpec spec = new MicromodelSpec(PopulationEngineTest.IN, List.of(new HiddenLayer(4, Activation.RELU, 0)),
                TaskKind.REGRESSION, 1, Loss.defaultFor(TaskKind.REGRESSION), Updater.adam(0.01), 0, 0, 1, 3, 10, 0);
        int[] small = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] large = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Population.fitRows(
                List.of(spec, spec), pool, List.of(small, large), List.of(large, small), PopulationOptions.defaults(1), null));
        assertTrue(e.getMessage().contains("member 1 takes 2 minibatches per epoch"), e.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> Population.fitRows(
                List.of(spec), pool, List.of(new int[] {96}), List.of(small), PopulationOptions.defaults(1), null));
        assertTrue(out.getMessage().contains("row 96 is outside the pool [0, 96)"), out.getMessage());
    }
}
