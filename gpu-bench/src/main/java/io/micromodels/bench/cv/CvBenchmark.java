package io.micromodels.bench.cv;

import io.micromodels.population.Ensemble;
import io.micromodels.backend.Backend;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.io.Freezer;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.Loss;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import io.micromodels.spec.Updater;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.CrossValidation;
import io.micromodels.tune.Folds;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Benchmarks of cross-validated search and ensembles (issue 12), printing figures (not a unit test). Wall-clock and
 * process CPU seconds are both printed: the machine is shared, so wall time includes waiting for a core.
 *
 * <ul>
 *   <li>{@code search}: {@code tune --dataset german_credit --trials 30 --cv 5 --population 8} (1,000 rows; the
 *       non-test 850 rows in 5 stratified folds). Last line: {@code cv search 30 trials: X s wall, Y s CPU}.</li>
 *   <li>{@code kfold}: the cost of K-fold training relative to one plain population pass, all for a fixed 30 epochs:
 *       one candidate alone vs its 5 folds as one pass; 8 compatible candidates (one architecture, 8 widths and
 *       learning rates) as one population vs their 8 x 5 fold members ({@link Population#fitRows}); and 40 plain
 *       members (8 specs x 5 seeds) to separate the cost of more members from that of per-member rows. Last line:
 *       {@code k-fold cost (5 folds) / plain population pass: one candidate X CPU ...; 8 candidates Y CPU ...}.</li>
 *   <li>{@code ensemble}: the frozen ensemble of 8 members of the default spec on German credit: microseconds per row
 *       for one row of features, one raw CSV row (pipeline included) and a batch of 1,000 rows, against the single
 *       network in the same run; measured as the scoring thread's CPU time (wall time on a loaded machine is mostly
 *       waiting). Last line: {@code frozen ensemble-8: X us/row single, Y us/row batch}.</li>
 * </ul>
 *
 * <p>Usage: {@code CvBenchmark search|kfold|ensemble|all [--trials N]}.
 */
public final class CvBenchmark {
    private CvBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.nd4j.log.initialization", "false");
        String mode = args.length > 0 ? args[0] : "all";
        int trials = 30;
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals("--trials")) {
                trials = Integer.parseInt(args[i + 1]);
            }
        }
        PrintStream out = System.out;
        Backend.initialise(Backend.resolve(null));
        out.println("backend: " + Backend.current().name() + ", cores " + Runtime.getRuntime().availableProcessors()
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", load average "
                + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        switch (mode) {
            case "search" -> search(out, trials);
            case "kfold" -> kfold(out);
            case "ensemble" -> ensemble(out);
            case "all" -> {
                ensemble(out);
                kfold(out);
                search(out, trials);
            }
            default -> throw new IllegalArgumentException("mode must be search, kfold, ensemble or all, got " + mode);
        }
    }

    /** Process CPU seconds so far (all threads: ND4J's, the JIT's, the GC's). */
    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static void search(PrintStream out, int trials) throws IOException {
        Path tmp = Files.createTempDirectory("cv-search");
        try {
            StudyOptions o = StudyOptions.forDataset("german_credit").withTrials(trials).withCv(CrossValidation.folds(5));
            double cpu0 = cpu();
            long start = System.nanoTime();
            Study study = Study.create(tmp.resolve("study"), o).setPopulation(8);
            study.run((t, all) -> { });
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = cpu() - cpu0;
            TrialRecord best = study.best().orElseThrow();
            double epochs = study.trials().stream().mapToInt(TrialRecord::epochs).average().orElse(0);
            study.close();
            out.printf(Locale.ROOT, "german_credit tune --trials %d --cv 5 --population 8: best 5-fold AUC %.4f ± %.4f"
                    + " (trial %d); mean epochs per trial %.0f%n", trials, best.score(), best.scoreSd(), best.number(), epochs);
            out.printf(Locale.ROOT, "cv search %d trials: %.1f s wall, %.1f s CPU%n", trials, wall, cpu);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void kfold(PrintStream out) {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        int in = data.pipeline().width();
        List<MicromodelSpec> specs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            specs.add(new MicromodelSpec(in, List.of(new HiddenLayer(16 + 4 * i, Activation.RELU, 0.1),
                    new HiddenLayer(16, Activation.RELU, 0)), TaskKind.MULTICLASS, 2, Loss.defaultFor(TaskKind.MULTICLASS),
                    Updater.adam(1e-3 * (1 + i)), 0, 1e-4, 7 + i, 30, 64, 0));
        }
        DataSet pool = DataSet.merge(List.of(data.train(), data.validation()));
        int[] classes = new int[pool.numExamples()];
        for (int r = 0; r < classes.length; r++) {
            classes[r] = pool.getLabels().getRow(r).argMax().getInt(0);
        }
        Folds folds = Folds.stratified(classes, data.task().classes(), 5, 1);
        List<MicromodelSpec> members = new ArrayList<>();
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (MicromodelSpec s : specs) {
            for (int f = 0; f < 5; f++) {
                members.add(s);
                train.add(folds.train(f));
                validation.add(folds.validation(f));
            }
        }
        PopulationOptions options = PopulationOptions.defaults(1).withRecordTrainingLoss(false);
        // the same 40 members' work without per-member rows: 8 specs x 5 seeds on the training split
        List<MicromodelSpec> forty = new ArrayList<>();
        for (MicromodelSpec s : specs) {
            for (int f = 0; f < 5; f++) {
                forty.add(s.withSeed(s.seed() + 100 * f));
            }
        }
        String[] labels = {"1 candidate, plain (train split)", "1 candidate, 5 folds (fitRows)",
                "8 candidates, plain (train split)", "8 candidates x 5 folds (fitRows)", "40 members, plain (train split)"};
        double[][] best = new double[labels.length][2];
        for (double[] b : best) {
            java.util.Arrays.fill(b, Double.POSITIVE_INFINITY);
        }
        for (int rep = 0; rep < 3; rep++) {
            for (int mode = 0; mode < labels.length; mode++) {
                double cpu0 = cpu();
                long start = System.nanoTime();
                PopulationResult r = switch (mode) {
                    case 0 -> Population.fit(specs.subList(0, 1), data.train(), data.validation(), options);
                    case 1 -> Population.fitRows(members.subList(0, 5), pool, train.subList(0, 5), validation.subList(0, 5),
                            options, null);
                    case 2 -> Population.fit(specs, data.train(), data.validation(), options);
                    case 3 -> Population.fitRows(members, pool, train, validation, options, null);
                    default -> Population.fit(forty, data.train(), data.validation(), options);
                };
                try (r) {
                    best[mode][0] = Math.min(best[mode][0], (System.nanoTime() - start) / 1e9);
                    best[mode][1] = Math.min(best[mode][1], cpu() - cpu0);
                    if (rep == 2) {
                        out.printf(Locale.ROOT, "%-36s %2d members, %d epochs, %4d steps: %.2f s wall, %.2f s CPU (best of 3)%n",
                                labels[mode], r.members().size(), r.epochs(), r.steps(), best[mode][0], best[mode][1]);
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "per-member rows overhead: 40 fold members / 40 plain members: %.2f CPU%n", best[3][1] / best[4][1]);
        out.printf(Locale.ROOT, "k-fold cost (5 folds) / plain population pass: one candidate %.2f CPU (%.2f wall); 8 candidates %.2f CPU"
                + " (%.2f wall); 5 sequential trainings would be about 5 x %d/%d = %.1f%n", best[1][1] / best[0][1],
                best[1][0] / best[0][0], best[3][1] / best[2][1], best[3][0] / best[2][0],
                folds.train(0).length, data.train().numExamples(), 5.0 * folds.train(0).length / data.train().numExamples());
    }

    static void ensemble(PrintStream out) {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        MicromodelSpec spec = TrainedModel.defaultSpec(data);
        spec = new MicromodelSpec(spec.inputs(), spec.hidden(), spec.output(), spec.outputs(), spec.loss(), spec.updater(),
                spec.l1(), spec.l2(), spec.seed(), 5, spec.batchSize(), 0);
        FrozenMicromodel one;
        FrozenMicromodel eight;
        try (TrainedModel model = Ensemble.train(data, spec, 8, "german_credit")) {
            eight = Freezer.freeze(model);
            one = FrozenMicromodel.of(eight.pipeline(), eight.network(), eight.metadata());
        }
        Table table = Datasets.load("german_credit").table();
        int n = 1000;
        String[][] raw = new String[n][];
        for (int r = 0; r < n; r++) {
            String[] row = new String[one.columns().size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = table.row(r % table.rows().size())[table.indexOf(one.columns().get(c))];
            }
            raw[r] = row;
        }
        int w = one.inputWidth();
        double[] features = new double[n * w];
        double[] row = new double[w];
        for (int r = 0; r < n; r++) {
            one.pipeline().transform(raw[r], row);
            System.arraycopy(row, 0, features, r * w, w);
        }
        out.printf(Locale.ROOT, "frozen default spec %s, %d features; 1 network vs an ensemble of 8%n", one.network().shape(), w);
        double[][] us = new double[2][3];
        for (int m = 0; m < 2; m++) {
            FrozenMicromodel f = m == 0 ? one : eight;
            us[m][0] = perRow(() -> {
                double[] o = new double[f.outputWidth()];
                double[] x = new double[w];
                double sink = 0;
                for (int r = 0; r < n; r++) {
                    System.arraycopy(features, r * w, x, 0, w);
                    f.predictFeatures(x, o);
                    sink += o[0];
                }
                return sink;
            }, n);
            us[m][1] = perRow(() -> {
                double[] o = new double[f.outputWidth()];
                double sink = 0;
                for (int r = 0; r < n; r++) {
                    f.predict(raw[r], o);
                    sink += o[0];
                }
                return sink;
            }, n);
            double[] o = new double[n * f.outputWidth()];
            us[m][2] = perRow(() -> {
                f.predictFeaturesBatch(features, n, o);
                return o[0];
            }, n);
            out.printf(Locale.ROOT, "%-12s features single %.3f us/row, raw row single %.3f us/row, batch of %d %.3f us/row%n",
                    m == 0 ? "1 network" : "ensemble-8", us[m][0], us[m][1], n, us[m][2]);
        }
        out.printf(Locale.ROOT, "ensemble-8 / 1 network: %.1fx single, %.1fx batch%n", us[1][0] / us[0][0], us[1][2] / us[0][2]);
        out.printf(Locale.ROOT, "frozen ensemble-8: %.2f us/row single (features), %.2f us/row single (raw row), %.3f us/row batch%n",
                us[1][0], us[1][1], us[1][2]);
    }

    interface Work {
        double run();
    }

    /**
     * Best of 7 timed passes (after 2 s of warm-up) of {@code work}, in microseconds per row of this thread's CPU time
     * ({@code ThreadMXBean}): on a shared, loaded machine wall time mostly measures waiting for a core.
     */
    static double perRow(Work work, int rows) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 2_000_000_000L) {
            sink += work.run();
        }
        double best = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep < 7; rep++) {
            int passes = 200;
            long start = threads.getCurrentThreadCpuTime();
            for (int p = 0; p < passes; p++) {
                sink += work.run();
            }
            best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / 1e3 / passes / rows);
        }
        if (sink == 42.4242) {
            System.out.print("");
        }
        return best;
    }
}
