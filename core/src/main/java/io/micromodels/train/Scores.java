package io.micromodels.train;

import java.util.Arrays;

/**
 * Evaluation metrics as small pure functions on {@code double[]}, shared by {@link Metrics} (which uses DL4J's
 * evaluation classes for the rest) and the explainers. All take {@code actual} and {@code predicted} of the same
 * shape [n], n &ge; 1, and throw {@link IllegalArgumentException} otherwise.
 *
 * <pre>{@code
 * double auc = Scores.auc(new double[] {0, 1, 1}, new double[] {0.2, 0.7, 0.4});   // 1.0
 * }</pre>
 */
public final class Scores {
    private Scores() {}

    /** Probabilities are clipped to [EPS, 1-EPS] by {@link #logLoss}. */
    public static final double EPS = 1e-15;

    /**
     * Area under the ROC curve of binary labels (0 or 1) against scores: the probability that a random
     * positive outscores a random negative, ties counting one half (Mann-Whitney U with mid-ranks).
     * Needs both classes present.
     */
    public static double auc(double[] labels, double[] scores) {
        int n = check(labels, scores);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) j++;
            double midRank = (i + j) / 2.0 + 1;        // 1-based mid-rank of the tie block
            for (int k = i; k <= j; k++) {
                if (binary(labels[idx[k]], idx[k]) == 1) {
                    rankSumPos += midRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("auc needs both classes, got " + pos + " positives and " + neg
                    + " negatives");
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Share of binary labels (0 or 1) matched by {@code probability >= threshold}. */
    public static double accuracy(double[] labels, double[] probabilities, double threshold) {
        int n = check(labels, probabilities);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int predicted = probabilities[i] >= threshold ? 1 : 0;
            if (predicted == binary(labels[i], i)) hits++;
        }
        return hits / (double) n;
    }

    /** Share of rows whose predicted class index equals the actual one (both whole numbers, compared exactly). */
    public static double classAccuracy(double[] actual, double[] predicted) {
        int n = check(actual, predicted);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (actual[i] != Math.rint(actual[i])) {
                throw new IllegalArgumentException("actual[" + i + "] must be a class index, got " + actual[i]);
            }
            if (actual[i] == predicted[i]) hits++;
        }
        return hits / (double) n;
    }

    /** Mean binary cross-entropy of labels (0 or 1) and probabilities, clipped to [EPS, 1-EPS]; natural log. */
    public static double logLoss(double[] labels, double[] probabilities) {
        int n = check(labels, probabilities);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(probabilities[i], EPS), 1 - EPS);
            s -= binary(labels[i], i) == 1 ? Math.log(p) : Math.log1p(-p);
        }
        return s / n;
    }

    /**
     * Average precision of binary labels (0 or 1) against scores, as scikit-learn's {@code average_precision_score}:
     * {@code sum_k (R_k - R_{k-1}) P_k} over the distinct score thresholds taken from high to low, where a row is
     * predicted positive when its score is {@code >=} the threshold (tied scores enter together). NaN without positives.
     */
    public static double averagePrecision(double[] labels, double[] scores) {
        int n = check(labels, scores);
        Integer[] idx = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            positives += binary(labels[i], i);
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
        double ap = 0;
        long tp = 0;
        long fp = 0;
        double lastRecall = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[idx[j]] == scores[idx[i]]) {
                if (binary(labels[idx[j]], idx[j]) == 1) tp++;
                else fp++;
                j++;
            }
            double recall = tp / (double) positives;
            ap += (recall - lastRecall) * (tp / (double) (tp + fp));
            lastRecall = recall;
            i = j;
        }
        return ap;
    }

    /** Brier score of binary labels (0 or 1) against positive-class probabilities: mean squared difference. */
    public static double brier(double[] labels, double[] probabilities) {
        int n = check(labels, probabilities);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = probabilities[i] - binary(labels[i], i);
            s += d * d;
        }
        return s / n;
    }

    /** Mean absolute error. */
    public static double mae(double[] actual, double[] predicted) {
        int n = check(actual, predicted);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(actual[i] - predicted[i]);
        }
        return s / n;
    }

    /**
     * F1 of the positive class of binary labels (0 or 1) when {@code probability >= threshold} predicts positive:
     * {@code 2 tp / (2 tp + fp + fn)}, 0 when there is neither a positive label nor a positive prediction
     * (scikit-learn's {@code zero_division=0}).
     */
    public static double f1(double[] labels, double[] probabilities, double threshold) {
        int n = check(labels, probabilities);
        long tp = 0;
        long wrong = 0;
        for (int i = 0; i < n; i++) {
            boolean predicted = probabilities[i] >= threshold;
            int y = binary(labels[i], i);
            if (predicted && y == 1) tp++;
            else if (predicted || y == 1) wrong++;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + wrong);
    }

    /**
     * A reliability diagram (as scikit-learn's {@code calibration_curve(strategy='uniform')}): {@code bins} equal-width
     * bins of [0, 1] (upper edges closed), and for each non-empty bin the mean predicted probability, the observed
     * share of positives and the number of rows.
     *
     * @param labels        {@code [n]} 0 or 1
     * @param probabilities {@code [n]} positive-class probabilities in [0, 1]
     * @return rows {@code [lower, upper, meanPredicted, observedFrequency, count]}, lowest bin first
     */
    public static double[][] reliability(double[] labels, double[] probabilities, int bins) {
        int n = check(labels, probabilities);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] sumP = new double[bins];
        double[] sumY = new double[bins];
        long[] count = new long[bins];
        for (int i = 0; i < n; i++) {
            // bin b holds (b/bins, (b+1)/bins], the first also 0: numpy.searchsorted over the inner edges, as sklearn
            int b = (int) Math.min(bins - 1, Math.max(0, Math.ceil(probabilities[i] * bins) - 1));
            sumP[b] += probabilities[i];
            sumY[b] += binary(labels[i], i);
            count[b]++;
        }
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                rows.add(new double[] {b / (double) bins, (b + 1) / (double) bins, sumP[b] / count[b], sumY[b] / count[b], count[b]});
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** Root mean squared error. */
    public static double rmse(double[] actual, double[] predicted) {
        int n = check(actual, predicted);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = actual[i] - predicted[i];
            s += d * d;
        }
        return Math.sqrt(s / n);
    }

    /**
     * Cross-entropy (multiclass log loss) of one-hot labels against class probabilities, probabilities clipped to
     * [EPS, 1-EPS] as scikit-learn's {@code log_loss} does.
     *
     * @param oneHot        shape {@code [n][k]}
     * @param probabilities shape {@code [n][k]}
     */
    public static double crossEntropy(double[][] oneHot, double[][] probabilities) {
        if (oneHot.length != probabilities.length || oneHot.length == 0) {
            throw new IllegalArgumentException("oneHot and probabilities must have the same, non-zero number of rows, got "
                    + oneHot.length + " and " + probabilities.length);
        }
        double sum = 0;
        for (int i = 0; i < oneHot.length; i++) {
            for (int c = 0; c < oneHot[i].length; c++) {
                if (oneHot[i][c] > 0) {
                    sum -= oneHot[i][c] * Math.log(Math.min(1 - EPS, Math.max(EPS, probabilities[i][c])));
                }
            }
        }
        return sum / oneHot.length;
    }

    private static int check(double[] actual, double[] predicted) {
        if (actual == null || predicted == null) {
            throw new IllegalArgumentException((actual == null ? "actual" : "predicted") + " must not be null");
        }
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted must have the same length, got "
                    + actual.length + " and " + predicted.length);
        }
        if (actual.length == 0) throw new IllegalArgumentException("actual must have at least 1 entry, got 0");
        return actual.length;
    }

    private static int binary(double label, int i) {
        if (label == 0) return 0;
        if (label == 1) return 1;
        throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1, got " + label);
    }
}
