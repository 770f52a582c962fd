package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import java.util.List;
import java.util.Objects;

/**
 * What the model predicts: kind, target column, class labels in label-index order (empty for regression), positive
 * class index for binary (else -1).
 *
 * @param kind          binary, multiclass or regression
 * @param target        the target column's name
 * @param classes       class labels; label column {@code i} of the one-hot labels is {@code classes.get(i)}
 * @param positiveClass index into {@code classes} of the positive class for {@link TaskKind#BINARY}, else -1
 */
public record TaskInfo(TaskKind kind, String target, List<String> classes, int positiveClass) {
    public TaskInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        classes = List.copyOf(classes);
        switch (kind) {
            case REGRESSION -> {
                if (!classes.isEmpty() || positiveClass != -1) {
                    throw new IllegalArgumentException("a regression task has no classes and positiveClass -1, got " + classes + ", " + positiveClass);
                }
            }
            case BINARY -> {
                if (classes.size() != 2 || positiveClass < 0 || positiveClass > 1) {
                    throw new IllegalArgumentException("a binary task needs 2 classes and positiveClass 0 or 1, got " + classes + ", " + positiveClass);
                }
            }
            case MULTICLASS -> {
                if (classes.size() < 2 || positiveClass != -1) {
                    throw new IllegalArgumentException("a multiclass task needs at least 2 classes and positiveClass -1, got " + classes + ", " + positiveClass);
                }
            }
        }
        if (classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException("duplicate class labels: " + classes);
        }
    }

    /** Number of label columns: the number of classes, or 1 for regression. */
    public int labelWidth() {
        return kind == TaskKind.REGRESSION ? 1 : classes.size();
    }
}
