package io.micromodels.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The curves a classification report draws, computed as scikit-learn does: {@code roc_curve} (with
 * {@code drop_intermediate=False}), {@code precision_recall_curve} and {@code calibration_curve} (uniform bins).
 * Inputs are 0/1 labels {@code y[n]} and positive-class scores {@code p[n]}.
 */
public final class Curves {
    private Curves() {
    }

    /**
     * An x-y curve with the score threshold of each point.
     *
     * @param x          shape {@code [m]}
     * @param y          shape {@code [m]}
     * @param thresholds shape {@code [m]} (for ROC the first is {@code +Infinity}, as scikit-learn's)
     */
    public record Curve(double[] x, double[] y, double[] thresholds) {
    }

    /** Reliability diagram: per non-empty bin, the mean predicted probability, the fraction of positives, the count. */
    public record Calibration(double[] meanPredicted, double[] fractionPositive, int[] count) {
    }

    /** Distinct thresholds in decreasing order with cumulative true and false positives at each: {@code [3][m]}. */
    private static double[][] cumulative(double[] y, double[] p) {
        int n = p.length;
        if (n == 0 || y.length != n) {
            throw new IllegalArgumentException("labels [" + y.length + "] and scores [" + n + "] differ in length or are empty");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<double[]> rows = new ArrayList<>();
        double tp = 0;
        double fp = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (y[i] > 0.5) {
                tp++;
            } else {
                fp++;
            }
            if (k == n - 1 || p[order[k + 1]] != p[i]) {
                rows.add(new double[] {p[i], tp, fp});
            }
        }
        double[][] out = new double[3][rows.size()];
        for (int j = 0; j < rows.size(); j++) {
            for (int c = 0; c < 3; c++) {
                out[c][j] = rows.get(j)[c];
            }
        }
        return out;
    }

    /** ROC curve: false positive rate (x) against true positive rate (y), from (0, 0) to (1, 1). */
    public static Curve roc(double[] y, double[] p) {
        double[][] c = cumulative(y, p);
        int m = c[0].length;
        double pos = c[1][m - 1];
        double neg = c[2][m - 1];
        double[] fpr = new double[m + 1];
        double[] tpr = new double[m + 1];
        double[] thr = new double[m + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            fpr[j + 1] = neg == 0 ? Double.NaN : c[2][j] / neg;
            tpr[j + 1] = pos == 0 ? Double.NaN : c[1][j] / pos;
            thr[j + 1] = c[0][j];
        }
        return new Curve(fpr, tpr, thr);
    }

    /**
     * Precision-recall curve as scikit-learn's {@code precision_recall_curve}: recall (x) decreasing to 0, precision
     * (y) ending at 1; thresholds of all but the last point (that one's is NaN).
     */
    public static Curve precisionRecall(double[] y, double[] p) {
        double[][] c = cumulative(y, p);
        int m = c[0].length;
        double pos = c[1][m - 1];
        double[] recall = new double[m + 1];
        double[] precision = new double[m + 1];
        double[] thr = new double[m + 1];
        for (int j = 0; j < m; j++) {
            int k = m - 1 - j; // lowest threshold first, as scikit-learn orders them
            double predicted = c[1][k] + c[2][k];
            precision[j] = predicted == 0 ? 1 : c[1][k] / predicted;
            recall[j] = pos == 0 ? 1 : c[1][k] / pos;
            thr[j] = c[0][k];
        }
        precision[m] = 1;
        recall[m] = 0;
        thr[m] = Double.NaN;
        return new Curve(recall, precision, thr);
    }

    /**
     * Reliability diagram with {@code bins} equal-width bins over [0, 1] (scikit-learn's {@code calibration_curve},
     * {@code strategy='uniform'}); empty bins are left out.
     */
    public static Calibration calibration(double[] y, double[] p, int bins) {
        if (bins < 2 || bins > 1000) {
            throw new IllegalArgumentException("bins must be in [2, 1000], got " + bins);
        }
        double[] sumP = new double[bins];
        double[] sumY = new double[bins];
        int[] n = new int[bins];
        for (int i = 0; i < p.length; i++) {
            // scikit-learn: np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], p), side "left": edges i * (1 / bins)
            int b = 0;
            while (b < bins - 1 && (b + 1) * (1.0 / bins) < p[i]) {
                b++;
            }
            sumP[b] += p[i];
            sumY[b] += y[i];
            n[b]++;
        }
        int used = 0;
        for (int b = 0; b < bins; b++) {
            used += n[b] > 0 ? 1 : 0;
        }
        double[] mp = new double[used];
        double[] fp = new double[used];
        int[] count = new int[used];
        int j = 0;
        for (int b = 0; b < bins; b++) {
            if (n[b] > 0) {
                mp[j] = sumP[b] / n[b];
                fp[j] = sumY[b] / n[b];
                count[j++] = n[b];
            }
        }
        return new Calibration(mp, fp, count);
    }
}
