package io.micromodels.bench.quality;

import io.micromodels.data.PreparedData;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.train.Metrics;
import io.micromodels.tune.bayes.BayesianOptimizer;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.Trial;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XGBoost4J on a prepared dataset's features (the fitted pipeline's output; labels are class indices, or the
 * standardised regression target), one thread. {@link #fitDefault()}: the library's defaults as the Python package
 * uses them (100 rounds, eta 0.3, max_depth 6). {@link #fitTuned(int)}: the project's Bayesian optimiser over eta
 * (log 0.01..0.3), max_depth (2..10), min_child_weight (log 0.5..20), subsample and colsample_bytree (0.5..1) and
 * lambda (log 1e-3..10), each candidate with up to 2000 rounds and early stopping (50 rounds) on the validation split,
 * scored by the validation metric; the best candidate, at its best iteration, predicts the test split.
 * Predictions are [n, k] class probabilities or [n, 1] standardised regression outputs.
 */
final class XgbRunner {
    private final PreparedData data;
    private final TaskInfo task;
    private final long seed;
    private final String metric;

    XgbRunner(PreparedData data, long seed) {
        this.data = data;
        this.task = data.pipeline().task();
        this.seed = seed;
        this.metric = task.kind() == TaskKind.BINARY ? "auc" : task.kind() == TaskKind.MULTICLASS ? "accuracy" : "rmse";
    }

    /** Test predictions of XGBoost with its defaults. */
    double[][] fitDefault() {
        Map<String, Object> p = base();
        p.put("eta", 0.3);
        p.put("max_depth", 6);
        return fit(p, 100, false).test;
    }

    /** Test predictions of the best of {@code trials} Bayesian-optimised candidates (by validation metric). */
    double[][] fitTuned(int trials) {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(9), Dimension.continuous(),
                Dimension.continuous(), Dimension.continuous(), Dimension.continuous());
        BayesianOptimizer opt = new BayesianOptimizer(space);
        List<Trial> history = new ArrayList<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        double[][] bestTest = null;
        boolean higher = task.kind() != TaskKind.REGRESSION;
        for (int t = 0; t < trials; t++) {
            double[] x = opt.propose(history, seed);
            Map<String, Object> p = base();
            p.put("eta", logScale(x[0], 0.01, 0.3));
            p.put("max_depth", 2 + space.get(1).level(x[1]));
            p.put("min_child_weight", logScale(x[2], 0.5, 20));
            p.put("subsample", 0.5 + 0.5 * x[3]);
            p.put("colsample_bytree", 0.5 + 0.5 * x[4]);
            p.put("lambda", logScale(x[5], 1e-3, 10));
            Fit f = fit(p, 2000, true);
            double loss = higher ? -f.validation : f.validation;
            history.add(Trial.of(x, loss));
            if (loss < bestLoss) {
                bestLoss = loss;
                bestTest = f.test;
            }
        }
        return bestTest;
    }

    private static double logScale(double u, double lo, double hi) {
        return Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
    }

    private Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>();
        switch (task.kind()) {
            case BINARY -> {
                p.put("objective", "binary:logistic");
                p.put("eval_metric", "auc");
            }
            case MULTICLASS -> {
                p.put("objective", "multi:softprob");
                p.put("num_class", task.classes().size());
                p.put("eval_metric", "mlogloss");
            }
            case REGRESSION -> {
                p.put("objective", "reg:squarederror");
                p.put("eval_metric", "rmse");
            }
        }
        p.put("nthread", 1);
        p.put("seed", (int) seed);
        p.put("verbosity", 0);
        p.put("tree_method", "hist");
        return p;
    }

    private record Fit(double validation, double[][] test) {
    }

    private Fit fit(Map<String, Object> params, int rounds, boolean earlyStopping) {
        DMatrix train = null;
        DMatrix val = null;
        Booster booster = null;
        try {
            train = matrix(data.train());
            val = matrix(data.validation());
            // Rounds one at a time with our own early stopping (XGBoost.train's watches print every round).
            booster = XGBoost.train(train, params, 0, new LinkedHashMap<>(), null, null);
            boolean maximise = task.kind() == TaskKind.BINARY;
            double best = Double.NaN;
            int iterations = rounds;
            float[] score = new float[1];
            for (int it = 0; it < rounds; it++) {
                booster.update(train, it);
                if (!earlyStopping) {
                    continue;
                }
                booster.evalSet(new DMatrix[] {val}, new String[] {"validation"}, it, score);
                if (Double.isNaN(best) || (maximise ? score[0] > best : score[0] < best)) {
                    best = score[0];
                    iterations = it + 1;
                } else if (it + 1 - iterations >= 50) {
                    break;
                }
            }
            double[][] valPred = predict(booster, data.validation(), iterations);
            double[][] testPred = predict(booster, data.test(), iterations);
            return new Fit(QualityBenchmarkMetrics.of(data, data.validation(), valPred, metric), testPred);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed: " + e.getMessage(), e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (train != null) {
                train.dispose();
            }
            if (val != null) {
                val.dispose();
            }
        }
    }

    private double[][] predict(Booster booster, DataSet set, int iterations) throws XGBoostError {
        int n = (int) set.getFeatures().size(0);
        int w = (int) set.getFeatures().size(1);
        float[] x = set.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] raw = booster.inplace_predict(x, n, w, Float.NaN, new int[] {0, iterations});
        double[][] out;
        if (task.kind() == TaskKind.BINARY) {
            out = new double[n][2];
            for (int i = 0; i < n; i++) {
                out[i][1] = raw[i][0];
                out[i][0] = 1 - raw[i][0];
            }
        } else {
            out = new double[n][raw.length == 0 ? 0 : raw[0].length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < out[i].length; j++) {
                    out[i][j] = raw[i][j];
                }
            }
        }
        return out;
    }

    private DMatrix matrix(DataSet set) throws XGBoostError {
        int n = (int) set.getFeatures().size(0);
        int w = (int) set.getFeatures().size(1);
        float[] x = set.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat();
        DMatrix m = new DMatrix(x, n, w, Float.NaN);
        INDArray labels = set.getLabels();
        float[] y = new float[n];
        if (task.kind() == TaskKind.REGRESSION) {
            float[] z = labels.castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(z, 0, y, 0, n);
        } else {
            long[] cls = labels.argMax(1).toLongVector();
            for (int i = 0; i < n; i++) {
                y[i] = cls[i];
            }
        }
        m.setLabel(y);
        return m;
    }

    /** The metric of predictions on a split (for the validation score of a candidate). */
    static final class QualityBenchmarkMetrics {
        private QualityBenchmarkMetrics() {
        }

        static double of(PreparedData data, DataSet set, double[][] pred, String metric) {
            TaskInfo task = data.pipeline().task();
            if (task.kind() == TaskKind.REGRESSION) {
                double[] z = new double[pred.length];
                for (int i = 0; i < z.length; i++) {
                    z[i] = pred[i][0];
                }
                double[] actual = data.pipeline().targetEncoder().toOriginalUnits(set.getLabels().castTo(DataType.DOUBLE).getColumn(0).toDoubleVector());
                return Metrics.regression(actual, data.pipeline().targetEncoder().toOriginalUnits(z)).get(metric);
            }
            INDArray p = Nd4j.createFromArray(pred).castTo(DataType.FLOAT);
            return Metrics.classification(set.getLabels(), p, task.classes(), task.positiveClass()).get(metric);
        }
    }
}
