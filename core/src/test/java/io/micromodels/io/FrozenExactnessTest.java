package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The frozen form of a trained micromodel computes what DL4J computes, on every row of the test split of every
 * bundled dataset:
 *
 * <ul>
 *   <li>frozen: the RAW CSV cells of the row, through the compiled pipeline and the plain-Java network
 *       ({@link FrozenMicromodel#predict(String[], double[])});</li>
 *   <li>DL4J: the same raw rows through {@link FittedPipeline#transform(Table)} (DataVec, float32) and
 *       {@code MultiLayerNetwork.output(x, false)}, mapped to the same units by hand: class probabilities (a
 *       single sigmoid unit p becomes [1 - p, p]; columns matched by class label), regression values back in the
 *       target's original units ({@link io.micromodels.data.TargetEncoder#toOriginalUnits}).</li>
 * </ul>
 *
 * The largest absolute difference must be at most {@value #TOLERANCE}: in probability for classifiers; for
 * regression it is measured in units of the target's standard deviation on the training split (the pipeline's
 * target scale, i.e. the difference of the standardised network outputs), since targets such as traffic volume
 * run into the thousands and float32 carries about 7 significant digits. The absolute difference in original
 * units is printed beside it.
 *
 * <p>The models are trained briefly (2 epochs; exactness does not need a good model) with hidden activations
 * varied across datasets (ReLU, tanh, ELU, leaky ReLU, sigmoid) and both binary output forms (two softmax units,
 * one sigmoid unit), so every activation mapping of {@link Freezer} is checked against DL4J. Each model is also
 * saved with {@link ModelStore#save}, and the frozen model read back from the zip with
 * {@link FrozenMicromodel#load(Path)} must equal the in-memory one and give bitwise identical predictions.
 *
 * <p>The test split's raw rows are found by matching each test feature row (as DataPipeline made it) to the
 * float32 features of the dataset's rows; every test row must be found.
 */
class FrozenExactnessTest {
    static final double TOLERANCE = 1e-5;
    private static final Activation[] HIDDEN = {Activation.RELU, Activation.TANH, Activation.ELU, Activation.LEAKYRELU,
        Activation.SIGMOID};

    static Stream<String> datasets() {
        return Datasets.names().stream();
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void frozenMatchesDl4jOnTheWholeTestSplit(String name, @TempDir Path dir) throws IOException {
        int index = Datasets.names().indexOf(name);
        BundledDataset dataset = Datasets.load(name);
        long t0 = System.nanoTime();
        PreparedData data = dataset.prepare(42);
        FittedPipeline pipeline = data.pipeline();
        TaskInfo task = pipeline.task();
        MicromodelSpec spec = spec(task, pipeline.width(), index);
        try (TrainedModel model = TrainedModel.train(data, spec, name)) {
            long t1 = System.nanoTime();
            FrozenMicromodel frozen = Freezer.freeze(model);
            Table table = dataset.table();
            List<String[]> testRows = testSplitRawRows(name, table, pipeline, data.test().getFeatures());
            Table test = Table.of(name + " (test split)", table.header(), testRows);

            // DL4J: DataVec transform + MultiLayerNetwork.output, mapped to probabilities / original units.
            INDArray x = pipeline.transform(test);
            double[][] dl4j = toReportedUnits(model.network().output(x, false).castTo(DataType.DOUBLE).toDoubleMatrix(),
                    spec, pipeline, frozen);

            // Frozen: raw cells in the frozen model's column order through the compiled pipeline.
            int[] map = new int[frozen.columns().size()];
            for (int j = 0; j < map.length; j++) {
                map[j] = table.indexOf(frozen.columns().get(j));
            }
            double[][] fro = new double[testRows.size()][frozen.outputWidth()];
            for (int i = 0; i < testRows.size(); i++) {
                fro[i] = frozenPredict(frozen, testRows.get(i), map);
            }

            double scale = task.kind() == TaskKind.REGRESSION ? targetStd(frozen) : 1.0;
            double worst = 0;
            double worstAbs = 0;
            int worstRow = -1;
            for (int i = 0; i < fro.length; i++) {
                assertEquals(dl4j[i].length, fro[i].length, name);
                for (int k = 0; k < fro[i].length; k++) {
                    double abs = Math.abs(fro[i][k] - dl4j[i][k]);
                    double d = abs / scale;
                    assertTrue(Double.isFinite(d), name + " row " + i + ": frozen " + fro[i][k] + " vs DL4J " + dl4j[i][k]);
                    if (d > worst) {
                        worst = d;
                        worstRow = i;
                    }
                    worstAbs = Math.max(worstAbs, abs);
                }
            }
            long t2 = System.nanoTime();

            // The frozen form saved in the model zip is the same model and predicts bit for bit the same.
            Path zip = dir.resolve(name + ".zip");
            ModelStore.save(model, zip, false);
            FrozenMicromodel loaded = FrozenMicromodel.load(zip);
            assertEquals(frozen, loaded, name + ": frozen model read back from the zip");
            for (int i = 0; i < testRows.size(); i++) {
                assertArrayEquals(fro[i], frozenPredict(loaded, testRows.get(i), map), 0.0, name + " row " + i + " after load");
            }

            String units = task.kind() == TaskKind.REGRESSION
                    ? String.format(Locale.ROOT, "target std units (std %.6g; largest absolute difference %.3g in the target's units)",
                            scale, worstAbs)
                    : "probability";
            System.out.printf(Locale.ROOT, "frozen exactness %-24s %5d test rows, %4d features, %s %s: max |frozen - DL4J| = %.3g %s"
                            + " [prepare+train %.1f s, compare %.1f s]%n",
                    name, testRows.size(), pipeline.width(), frozen.network().shape(), hiddenNames(spec), worst, units,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            assertTrue(worst <= TOLERANCE, name + ": max difference " + worst + " " + units + " at test row " + worstRow
                    + " exceeds " + TOLERANCE);
        }
    }

    /** A brief training spec; hidden activations and the binary output form vary with the dataset's index. */
    static MicromodelSpec spec(TaskInfo task, int inputs, int index) {
        Micromodel m;
        if (task.kind() == TaskKind.REGRESSION) {
            m = Micromodel.regressor();
        } else if (task.kind() == TaskKind.BINARY && index % 2 == 1) {
            m = Micromodel.binary(); // one sigmoid unit
        } else {
            m = Micromodel.classifier(task.classes().size());
        }
        return m.input(inputs)
                .dense(16, HIDDEN[index % HIDDEN.length]).dropout(0.1)
                .dense(8, HIDDEN[(index + 1) % HIDDEN.length])
                .adam(3e-3).l2(1e-4).batchSize(128).epochs(2).patience(0).seed(7 + index)
                .build();
    }

    private static String hiddenNames(MicromodelSpec spec) {
        List<String> names = new ArrayList<>();
        spec.hidden().forEach(h -> names.add(h.activation().name().toLowerCase(Locale.ROOT)));
        return String.join("/", names) + "->" + spec.output().name().toLowerCase(Locale.ROOT);
    }

    private static double[] frozenPredict(FrozenMicromodel frozen, String[] row, int[] map) {
        String[] raw = new String[map.length];
        for (int j = 0; j < map.length; j++) {
            raw[j] = row[map[j]];
        }
        double[] out = new double[frozen.outputWidth()];
        frozen.predict(raw, out);
        return out;
    }

    /** DL4J network outputs to the frozen model's reported values, column for column. */
    private static double[][] toReportedUnits(double[][] net, MicromodelSpec spec, FittedPipeline pipeline, FrozenMicromodel frozen) {
        TaskInfo task = pipeline.task();
        int n = net.length;
        double[][] r = new double[n][];
        if (task.kind() == TaskKind.REGRESSION) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = net[i][0];
            }
            double[] y = pipeline.targetEncoder().toOriginalUnits(z);
            for (int i = 0; i < n; i++) {
                r[i] = new double[] {y[i]};
            }
            return r;
        }
        List<String> classes = task.classes();
        List<String> labels = frozen.metadata().classLabels();
        for (int i = 0; i < n; i++) {
            double[] byClass = new double[classes.size()];
            if (spec.output() == TaskKind.BINARY) {
                byClass[task.positiveClass()] = net[i][0];
                byClass[1 - task.positiveClass()] = 1 - net[i][0];
            } else {
                byClass = net[i];
            }
            r[i] = new double[labels.size()];
            for (int c = 0; c < classes.size(); c++) {
                r[i][labels.indexOf(classes.get(c))] = byClass[c];
            }
        }
        return r;
    }

    private static double targetStd(FrozenMicromodel frozen) {
        double s = Math.abs(frozen.metadata().targetScale());
        assertTrue(s > 0 && s != 1.0, "regression target should be standardised, scale " + s);
        return s;
    }

    /** The raw CSV rows of the test split, in its order, found by their float32 features. */
    private static List<String[]> testSplitRawRows(String name, Table table, FittedPipeline pipeline, INDArray testFeatures) {
        float[][] all = pipeline.transform(table).toFloatMatrix();
        Map<Key, Integer> byFeatures = new HashMap<>();
        for (int i = 0; i < all.length; i++) {
            byFeatures.putIfAbsent(new Key(all[i]), i);
        }
        float[][] test = testFeatures.toFloatMatrix();
        List<String[]> rows = new ArrayList<>(test.length);
        for (int i = 0; i < test.length; i++) {
            Integer r = byFeatures.get(new Key(test[i]));
            if (r == null) {
                throw new AssertionError(name + ": test row " + i + " matches no row of the dataset");
            }
            rows.add(table.row(r));
        }
        assertEquals(test.length, rows.size());
        assertTrue(rows.size() > 0, name + ": empty test split");
        return rows;
    }

    private record Key(float[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
