package io.micromodels.bench.data;

import io.micromodels.backend.Backend;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every bundled dataset trained end to end with its catalog defaults: the default micromodel's test metric next to
 * a majority-class (classification) or training-mean (regression) predictor and a linear micromodel (no hidden
 * layer), over several seeds (each seed re-splits the data and re-initialises the networks).
 *
 * <pre>
 * java ... io.micromodels.bench.data.DatasetBaselines [--seeds 3] [--datasets german_credit,heart_disease_cleveland]
 * </pre>
 *
 * <p>Binary tasks report test ROC AUC (a constant predictor scores 0.5), multiclass accuracy, regression RMSE and R²
 * in the target's units. The last line counts the datasets where the default micromodel beats both baselines.
 */
public final class DatasetBaselines {
    private DatasetBaselines() {
    }

    /** Runs the comparison. */
    public static void main(String[] args) {
        int seeds = 3;
        List<String> names = Datasets.names();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--datasets" -> names = Arrays.asList(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --seeds N, --datasets a,b");
            }
        }
        System.out.println(Backend.current().summary());
        System.out.printf(Locale.ROOT, "test metric per dataset, mean ± sd over %d seeds (catalog defaults; default micromodel = "
                + "two ReLU layers 32-16, drop 0.1, L2 1e-4, Adam 3e-3, early stopping)%n", seeds);
        System.out.printf(Locale.ROOT, "%-24s %-10s %-8s %-17s %-17s %-17s %-8s %s%n", "dataset", "task", "metric",
                "baseline", "linear", "micromodel", "epochs", "beats both");
        int wins = 0;
        for (String name : names) {
            List<double[]> rows = new ArrayList<>();
            String metric = null;
            TaskKind kind = null;
            double epochs = 0;
            for (int s = 0; s < seeds; s++) {
                PreparedData data = Datasets.load(name).prepare(42 + s);
                TaskInfo task = data.pipeline().task();
                kind = task.kind();
                metric = kind == TaskKind.BINARY ? "auc" : kind == TaskKind.MULTICLASS ? "accuracy" : "rmse";
                double[] r = new double[6];
                Metrics base = baseline(data);
                MicromodelSpec lin = TrainedModel.linearSpec(task, data.pipeline().width()).withSeed(42 + s);
                MicromodelSpec def = TrainedModel.defaultSpec(data).withSeed(42 + s);
                try (TrainedModel l = TrainedModel.train(data, lin, name); TrainedModel d = TrainedModel.train(data, def, name)) {
                    r[0] = base.get(metric);
                    r[1] = l.testMetrics().get(metric);
                    r[2] = d.testMetrics().get(metric);
                    if (kind == TaskKind.REGRESSION) {
                        r[3] = base.get("r2");
                        r[4] = l.testMetrics().get("r2");
                        r[5] = d.testMetrics().get("r2");
                    }
                    epochs += d.provenance().epochsRun() / (double) seeds;
                }
                rows.add(r);
            }
            boolean higherBetter = kind != TaskKind.REGRESSION;
            double b = mean(rows, 0);
            double l = mean(rows, 1);
            double m = mean(rows, 2);
            boolean beats = higherBetter ? m > b && m > l : m < b && m < l;
            wins += beats ? 1 : 0;
            System.out.printf(Locale.ROOT, "%-24s %-10s %-8s %-17s %-17s %-17s %-8.0f %s%n", name,
                    kind.name().toLowerCase(Locale.ROOT), metric, pm(rows, 0), pm(rows, 1), pm(rows, 2), epochs, beats ? "yes" : "no");
            if (kind == TaskKind.REGRESSION) {
                System.out.printf(Locale.ROOT, "%-24s %-10s %-8s %-17s %-17s %-17s%n", "", "", "r2", pm(rows, 3), pm(rows, 4), pm(rows, 5));
            }
        }
        System.out.printf(Locale.ROOT, "default micromodel beats both baselines on %d of %d datasets%n", wins, names.size());
    }

    /** Majority class (constant probabilities = training class shares) or the training mean. */
    static Metrics baseline(PreparedData data) {
        TaskInfo task = data.pipeline().task();
        INDArray trainLabels = data.train().getLabels().castTo(DataType.DOUBLE);
        int n = (int) data.test().getLabels().size(0);
        if (task.kind() == TaskKind.REGRESSION) {
            double mean = data.pipeline().targetEncoder().toOriginalUnits(new double[] {trainLabels.meanNumber().doubleValue()})[0];
            double[] actual = data.pipeline().targetEncoder().toOriginalUnits(
                    data.test().getLabels().castTo(DataType.DOUBLE).getColumn(0).toDoubleVector());
            double[] pred = new double[n];
            Arrays.fill(pred, mean);
            return Metrics.regression(actual, pred);
        }
        INDArray shares = trainLabels.mean(0).reshape(1, trainLabels.size(1));
        INDArray p = Nd4j.repeat(shares, n).reshape(n, trainLabels.size(1));
        return Metrics.classification(data.test().getLabels(), p, task.classes(), task.positiveClass());
    }

    private static double mean(List<double[]> rows, int col) {
        return rows.stream().mapToDouble(r -> r[col]).average().orElse(Double.NaN);
    }

    private static String pm(List<double[]> rows, int col) {
        double m = mean(rows, col);
        double v = rows.stream().mapToDouble(r -> (r[col] - m) * (r[col] - m)).sum() / Math.max(1, rows.size() - 1);
        return String.format(Locale.ROOT, "%.4f ± %.4f", m, Math.sqrt(v));
    }
}
