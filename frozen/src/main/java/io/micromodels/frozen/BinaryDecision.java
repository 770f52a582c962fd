package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How a two-class model turns its positive-class probability into a reported probability and a label: an optional
 * Platt calibration, then a decision threshold. The same type is used by training (which chooses it on the
 * validation split), the saved model and the frozen form, so every path scores alike.
 *
 * <pre>{@code
 * BinaryDecision d = BinaryDecision.platt(1, 0.31, 1.4, -0.8);   // positive class 1, threshold 0.31
 * double p = d.calibrate(0.2);                                  // sigmoid(1.4 * logit(0.2) - 0.8)
 * boolean positive = p >= d.threshold();
 * }</pre>
 *
 * @param positive    index of the positive class among the two class labels (0 or 1)
 * @param threshold   a row is labelled positive when its (calibrated) positive probability is {@code >= threshold};
 *                    in (0, 1); 0.5 is the plain most-probable-class rule
 * @param calibration {@code "none"} or {@code "platt"}
 * @param slope       Platt scaling: calibrated {@code p' = 1 / (1 + exp(-(slope * logit(p) + intercept)))}; finite;
 *                    1 when {@code calibration} is none
 * @param intercept   see {@code slope}; finite; 0 when {@code calibration} is none
 */
@JsonPropertyOrder({"positive", "threshold", "calibration", "slope", "intercept"})
public record BinaryDecision(int positive, double threshold, String calibration, double slope, double intercept) {

    /** No calibration. */
    public static final String NONE = "none";
    /** Platt scaling (a logistic regression on the logit of the probability). */
    public static final String PLATT = "platt";
    /** Probabilities are clipped to [CLIP, 1 - CLIP] before the logit. */
    public static final double CLIP = 1e-15;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public BinaryDecision {
        if (positive != 0 && positive != 1) {
            throw new IllegalArgumentException("decision: positive must be 0 or 1, got " + positive);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("decision: threshold must be in (0, 1), got " + threshold);
        }
        if (!NONE.equals(calibration) && !PLATT.equals(calibration)) {
            throw new IllegalArgumentException("decision: calibration must be one of [none, platt], got '" + calibration + "'");
        }
        if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new IllegalArgumentException("decision: slope and intercept must be finite, got " + slope + " and " + intercept);
        }
        if (NONE.equals(calibration) && (slope != 1.0 || intercept != 0.0)) {
            throw new IllegalArgumentException("decision: calibration none needs slope 1 and intercept 0, got " + slope + " and " + intercept);
        }
    }

    /** The plain rule: no calibration, threshold 0.5. */
    public static BinaryDecision standard(int positive) {
        return new BinaryDecision(positive, 0.5, NONE, 1.0, 0.0);
    }

    /** A threshold without calibration. */
    public static BinaryDecision threshold(int positive, double threshold) {
        return new BinaryDecision(positive, threshold, NONE, 1.0, 0.0);
    }

    /** Platt calibration and a threshold (on the calibrated probability). */
    public static BinaryDecision platt(int positive, double threshold, double slope, double intercept) {
        return new BinaryDecision(positive, threshold, PLATT, slope, intercept);
    }

    /** Whether this is {@link #standard(int)}: then it changes nothing. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isStandard() {
        return threshold == 0.5 && NONE.equals(calibration);
    }

    /** Whether probabilities are recalibrated. */
    public boolean calibrated() {
        return PLATT.equals(calibration);
    }

    /** A copy with another threshold. */
    public BinaryDecision withThreshold(double value) {
        return new BinaryDecision(positive, value, calibration, slope, intercept);
    }

    /** The calibrated positive-class probability of a raw one (identity without calibration). */
    public double calibrate(double p) {
        if (!calibrated()) {
            return p;
        }
        double q = Math.min(1 - CLIP, Math.max(CLIP, p));
        return sigmoid(slope * Math.log(q / (1 - q)) + intercept);
    }

    /** Whether a (calibrated) positive-class probability is labelled positive. */
    public boolean isPositive(double calibratedProbability) {
        return calibratedProbability >= threshold;
    }

    /**
     * Applies the calibration to two class probabilities in place and returns the label index.
     *
     * @param values {@code [.., 2 at off, ..]} class probabilities (in class-label order), overwritten calibrated
     * @param off    where the row's two values start
     * @return the index (0 or 1) of the decided label
     */
    public int apply(double[] values, int off) {
        double p = calibrate(values[off + positive]);
        values[off + positive] = p;
        values[off + 1 - positive] = 1 - p;
        return isPositive(p) ? positive : 1 - positive;
    }

    /** The decided label index (0 or 1) of already calibrated probabilities {@code values[off], values[off + 1]}. */
    public int label(double[] values, int off) {
        return isPositive(values[off + positive]) ? positive : 1 - positive;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
