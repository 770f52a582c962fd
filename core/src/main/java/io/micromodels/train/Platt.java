package io.micromodels.train;

/**
 * Platt scaling fitted by Newton's method (iteratively reweighted least squares): a logistic regression of binary
 * labels on the logit of a model's probabilities, {@code p' = sigmoid(slope * logit(p) + intercept)}, minimising
 * {@code sum_i logloss(y_i, p'_i) + (lambda / 2) slope^2} with {@code lambda = }{@value #RIDGE} (the slope only, as
 * scikit-learn's {@code LogisticRegression(C = 1 / lambda)} penalises the coefficient and not the intercept; the tiny
 * ridge keeps separable data finite). Plain maximum likelihood on the labels, without Platt's smoothed targets.
 *
 * <pre>{@code
 * double[] ab = Platt.fit(labels, probabilities);     // {slope, intercept}
 * BinaryDecision d = BinaryDecision.platt(1, 0.5, ab[0], ab[1]);
 * }</pre>
 */
public final class Platt {
    /** The slope's L2 coefficient (scikit-learn {@code C = 1e6}). */
    public static final double RIDGE = 1e-6;

    private Platt() {
    }

    /**
     * @param labels        {@code [n]} 0 or 1, both present
     * @param probabilities {@code [n]} positive-class probabilities (clipped to [1e-15, 1 - 1e-15] before the logit)
     * @return {@code {slope, intercept}}
     * @throws IllegalArgumentException when the lengths differ, or a class is absent
     */
    public static double[] fit(double[] labels, double[] probabilities) {
        int n = labels.length;
        if (n != probabilities.length || n == 0) {
            throw new IllegalArgumentException("labels (" + n + ") and probabilities (" + probabilities.length
                    + ") must have the same, non-zero length");
        }
        double[] z = new double[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            double q = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]));
            z[i] = Math.log(q / (1 - q));
            positives += labels[i] > 0.5 ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("Platt calibration needs both classes in the validation split, got "
                    + positives + " positives of " + n + " rows");
        }
        double a = 1;
        double b = 0;
        double f = objective(labels, z, a, b);
        for (int iter = 0; iter < 100; iter++) {
            double ga = RIDGE * a;
            double gb = 0;
            double haa = RIDGE;
            double hab = 0;
            double hbb = 0;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a * z[i] + b);
                double r = p - (labels[i] > 0.5 ? 1 : 0);
                double w = Math.max(p * (1 - p), 1e-12);
                ga += r * z[i];
                gb += r;
                haa += w * z[i] * z[i];
                hab += w * z[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double step = 1;
            double next = objective(labels, z, a - da, b - db);
            while (next > f && step > 1e-10) {            // backtracking keeps every step downhill
                step /= 2;
                next = objective(labels, z, a - step * da, b - step * db);
            }
            if (next > f) {
                break;
            }
            a -= step * da;
            b -= step * db;
            boolean done = Math.abs(f - next) <= 1e-14 * Math.max(1, Math.abs(f)) && Math.abs(step * da) + Math.abs(step * db) < 1e-12;
            f = next;
            if (done || Math.abs(ga) + Math.abs(gb) < 1e-12) {
                break;
            }
        }
        return new double[] {a, b};
    }

    private static double objective(double[] labels, double[] z, double a, double b) {
        double s = 0.5 * RIDGE * a * a;
        for (int i = 0; i < z.length; i++) {
            double t = a * z[i] + b;
            // -log sigmoid(t) for y = 1, -log(1 - sigmoid(t)) = -log sigmoid(-t) for y = 0; stable softplus
            double m = labels[i] > 0.5 ? -t : t;
            s += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        }
        return s;
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }
}
