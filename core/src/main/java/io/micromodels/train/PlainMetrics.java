package io.micromodels.train;

import java.util.Arrays;

/**
 * Test metrics in plain Java (no ND4J), for code paths that must not start ND4J such as {@code predict} on a model's
 * frozen form. Definitions follow scikit-learn: {@code accuracy_score}, {@code roc_auc_score} (ties count one half),
 * {@code f1_score(average="macro")} over the labels present in the true or predicted classes, and regression
 * {@code sqrt(mean_squared_error)} and {@code mean_absolute_error}.
 *
 * <pre>{@code
 * double auc = PlainMetrics.rocAuc(new int[] {0, 1, 1}, new double[] {0.2, 0.7, 0.4});   // 1.0
 * }</pre>
 */
public final class PlainMetrics {
    private PlainMetrics() {
    }

    /** Share of rows whose predicted class equals the true class; {@code y, predicted: [n]}, n > 0. */
    public static double accuracy(int[] y, int[] predicted) {
        check(y.length, predicted.length);
        int hit = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == predicted[i]) hit++;
        }
        return (double) hit / y.length;
    }

    /**
     * Area under the ROC curve of {@code score} for the rows with {@code y == positive} against the others, by the
     * Mann-Whitney rank sum with average ranks for ties; NaN when only one class is present.
     *
     * @param y     {@code [n]} class indices
     * @param score {@code [n]} higher = more likely positive
     */
    public static double rocAuc(int[] y, double[] score, int positive) {
        check(y.length, score.length);
        int n = y.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie block
            for (int k = i; k <= j; k++) {
                if (y[order[k]] == positive) {
                    rankSumPositive += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Unweighted mean over classes present in {@code y} or {@code predicted} of each class's F1 (0 when undefined). */
    public static double macroF1(int[] y, int[] predicted, int classes) {
        check(y.length, predicted.length);
        long[] tp = new long[classes];
        long[] trueCount = new long[classes];
        long[] predCount = new long[classes];
        for (int i = 0; i < y.length; i++) {
            trueCount[y[i]]++;
            predCount[predicted[i]]++;
            if (y[i] == predicted[i]) tp[y[i]]++;
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (trueCount[c] + predCount[c] == 0) continue;
            present++;
            sum += 2.0 * tp[c] / (trueCount[c] + predCount[c]);
        }
        return sum / present;
    }

    /** Root mean squared error; {@code actual, predicted: [n]}. */
    public static double rmse(double[] actual, double[] predicted) {
        check(actual.length, predicted.length);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - predicted[i];
            s += d * d;
        }
        return Math.sqrt(s / actual.length);
    }

    /** Mean absolute error; {@code actual, predicted: [n]}. */
    public static double mae(double[] actual, double[] predicted) {
        check(actual.length, predicted.length);
        double s = 0;
        for (int i = 0; i < actual.length; i++) s += Math.abs(actual[i] - predicted[i]);
        return s / actual.length;
    }

    private static void check(int a, int b) {
        if (a != b) throw new IllegalArgumentException("lengths differ: " + a + " and " + b);
        if (a == 0) throw new IllegalArgumentException("no rows");
    }
}
