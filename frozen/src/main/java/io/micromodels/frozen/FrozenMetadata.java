package io.micromodels.frozen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a micromodel's outputs mean.
 *
 * @param task        binary / multiclass classification or regression
 * @param target      name of the predicted column (non-blank)
 * @param classLabels classifiers: the class labels in network output order (binary: [negative, positive]), distinct;
 *                    regression: empty
 * @param outputNames one name per reported value (classifiers: one per class label, the probability columns;
 *                    regression: one per network output), distinct, non-blank
 * @param targetScale regression: a reported value is {@code networkOutput * targetScale + targetShift} (undoes target
 *                    normalisation); finite and non-zero; classifiers: must be 1
 * @param targetShift regression: see {@code targetScale}; finite; classifiers: must be 0
 */
public record FrozenMetadata(TaskKind task, String target, List<String> classLabels, List<String> outputNames,
                             double targetScale, double targetShift) {

    /** Validates and makes the lists immutable. */
    public FrozenMetadata {
        Objects.requireNonNull(task, "task");
        if (target == null || target.isBlank()) throw new IllegalArgumentException("metadata: target must be a non-blank name");
        classLabels = List.copyOf(Objects.requireNonNull(classLabels, "classLabels"));
        outputNames = List.copyOf(Objects.requireNonNull(outputNames, "outputNames"));
        distinctNames("classLabels", classLabels, false);
        distinctNames("outputNames", outputNames, true);
        if (task.isClassification()) {
            if (task == TaskKind.BINARY && classLabels.size() != 2) {
                throw new IllegalArgumentException("metadata: BINARY needs exactly 2 classLabels, got " + classLabels.size() + " " + classLabels);
            }
            if (classLabels.size() < 2) {
                throw new IllegalArgumentException("metadata: " + task + " needs at least 2 classLabels, got " + classLabels.size() + " " + classLabels);
            }
            if (outputNames.size() != classLabels.size()) {
                throw new IllegalArgumentException("metadata: " + task + " needs one outputName per class label (" + classLabels.size()
                        + "), got " + outputNames.size() + " " + outputNames);
            }
            if (targetScale != 1.0 || targetShift != 0.0) {
                throw new IllegalArgumentException("metadata: " + task + " needs targetScale = 1 and targetShift = 0, got "
                        + targetScale + " and " + targetShift);
            }
        } else {
            if (!classLabels.isEmpty()) {
                throw new IllegalArgumentException("metadata: REGRESSION takes no classLabels, got " + classLabels);
            }
            if (outputNames.isEmpty()) throw new IllegalArgumentException("metadata: REGRESSION needs at least one outputName");
            if (!Double.isFinite(targetScale) || targetScale == 0.0) {
                throw new IllegalArgumentException("metadata: targetScale must be finite and non-zero, got " + targetScale);
            }
            if (!Double.isFinite(targetShift)) {
                throw new IllegalArgumentException("metadata: targetShift must be finite, got " + targetShift);
            }
        }
    }

    /** Binary classification; output names {@code "probability_<label>"}. */
    public static FrozenMetadata binary(String target, String negativeLabel, String positiveLabel) {
        return classifier(TaskKind.BINARY, target, List.of(negativeLabel, positiveLabel));
    }

    /** Multiclass classification; output names {@code "probability_<label>"}. */
    public static FrozenMetadata multiclass(String target, List<String> classLabels) {
        return classifier(TaskKind.MULTICLASS, target, classLabels);
    }

    /** Single-output regression with no target scaling; the output is named after the target. */
    public static FrozenMetadata regression(String target) {
        return new FrozenMetadata(TaskKind.REGRESSION, target, List.of(), List.of(target), 1.0, 0.0);
    }

    /** Single-output regression whose network predicts {@code (target - targetShift) / targetScale}. */
    public static FrozenMetadata regression(String target, double targetScale, double targetShift) {
        return new FrozenMetadata(TaskKind.REGRESSION, target, List.of(), List.of(target), targetScale, targetShift);
    }

    private static FrozenMetadata classifier(TaskKind task, String target, List<String> labels) {
        Objects.requireNonNull(labels, "classLabels");
        List<String> names = new ArrayList<>();
        for (String l : labels) names.add("probability_" + l);
        return new FrozenMetadata(task, target, labels, names, 1.0, 0.0);
    }

    private static void distinctNames(String what, List<String> names, boolean nonBlank) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || (nonBlank && n.isBlank())) {
                throw new IllegalArgumentException("metadata: " + what + "[" + i + "] must be a non-" + (nonBlank ? "blank" : "null") + " string");
            }
            if (!seen.add(n)) throw new IllegalArgumentException("metadata: " + what + " has duplicate '" + n + "'");
        }
    }
}
