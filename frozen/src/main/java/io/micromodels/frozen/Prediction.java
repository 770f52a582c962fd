package io.micromodels.frozen;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One scored row of a {@link FrozenMicromodel}. Classifiers: {@link #values()} are the class probabilities in
 * the order of {@link #classLabels()} and {@link #label()} is the most probable class (ties go to the first), or for a
 * two-class model with a {@link BinaryDecision}, the class its threshold decides.
 * Regression: {@link #values()} are the predicted values (usually one), label is {@code null}.
 */
public final class Prediction {
    private final TaskKind task;
    private final double[] values;
    private final List<String> classLabels;
    private final int labelIndex;

    Prediction(TaskKind task, double[] values, List<String> classLabels) {
        this(task, values, classLabels, task.isClassification() ? argmax(values, 0, values.length) : -1);
    }

    /** With the label already decided (e.g. by a {@link BinaryDecision}'s threshold). */
    Prediction(TaskKind task, double[] values, List<String> classLabels, int labelIndex) {
        this.task = Objects.requireNonNull(task);
        this.values = values;
        this.classLabels = classLabels;
        this.labelIndex = labelIndex;
    }

    static int argmax(double[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    /** The task kind. */
    public TaskKind task() {
        return task;
    }

    /** A copy of the reported values: probabilities {@code [classes]} or regression values {@code [outputs]}. */
    public double[] values() {
        return values.clone();
    }

    /** Classifiers: probability of class {@code i} (in {@link #classLabels()} order). */
    public double probability(int i) {
        requireClassifier();
        return values[Objects.checkIndex(i, values.length)];
    }

    /** Classifiers: probability of the given class label. */
    public double probability(String label) {
        requireClassifier();
        int i = classLabels.indexOf(label);
        if (i < 0) throw new IllegalArgumentException("unknown class label '" + label + "'; labels are " + classLabels);
        return values[i];
    }

    /** Classifiers: the class labels; regression: empty. */
    public List<String> classLabels() {
        return classLabels;
    }

    /** Classifiers: index of the predicted label; regression: -1. */
    public int labelIndex() {
        return labelIndex;
    }

    /** Classifiers: the predicted label; regression: {@code null}. */
    public String label() {
        return labelIndex < 0 ? null : classLabels.get(labelIndex);
    }

    /** Regression: the (first) predicted value. */
    public double value() {
        if (task.isClassification()) throw new IllegalStateException(task + " model: use label() / probability(...), not value()");
        return values[0];
    }

    private void requireClassifier() {
        if (!task.isClassification()) throw new IllegalStateException("REGRESSION model: use value(), not probabilities");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.task == task && Arrays.equals(p.values, values) && p.classLabels.equals(classLabels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, Arrays.hashCode(values), classLabels);
    }

    @Override
    public String toString() {
        return task.isClassification() ? "Prediction{label=" + label() + ", probabilities=" + Arrays.toString(values) + "}"
                : "Prediction{values=" + Arrays.toString(values) + "}";
    }
}
