package io.micromodels.tune;

import java.util.Objects;

/**
 * How a study scores candidates: on the validation split ({@link #NONE}), or by K-fold cross-validation over the
 * training and validation rows together ({@link Folds}; the test split is never used). Immutable, validated; part of
 * {@code study.json}.
 *
 * <pre>{@code
 * StudyOptions o = StudyOptions.forDataset("german_credit").withCv(CrossValidation.folds(5));
 * }</pre>
 *
 * @param folds       0 = no cross-validation (validation split), else K in {@code [2, 100]}
 * @param groupColumn a column whose rows of one value never straddle folds ({@link Folds#grouped}), or empty
 * @param timeColumn  a CSV column to split and fold in time order by ({@link Folds#timeOrdered}), or empty (a
 *                    bundled dataset with a catalogue time column is always folded in time order)
 */
public record CrossValidation(int folds, String groupColumn, String timeColumn) {
    /** No cross-validation: candidates are scored on the validation split. */
    public static final CrossValidation NONE = new CrossValidation(0, "", "");

    /** Validates: messages name the field, the allowed values and the value. */
    public CrossValidation {
        Objects.requireNonNull(groupColumn, "groupColumn must not be null (empty when none)");
        Objects.requireNonNull(timeColumn, "timeColumn must not be null (empty when none)");
        if (folds != 0 && (folds < 2 || folds > Folds.MAX_FOLDS)) {
            throw new IllegalArgumentException("cv must be 0 (off) or in [2, " + Folds.MAX_FOLDS + "] folds, got " + folds);
        }
        if (!groupColumn.isEmpty() && folds == 0) {
            throw new IllegalArgumentException("groupColumn '" + groupColumn + "' needs cross-validation (cv >= 2)");
        }
        if (!groupColumn.isEmpty() && !timeColumn.isEmpty()) {
            throw new IllegalArgumentException("groupColumn and timeColumn exclude each other, got '" + groupColumn
                    + "' and '" + timeColumn + "'");
        }
    }

    /** @return K-fold cross-validation (stratified for classification, plain for regression) */
    public static CrossValidation folds(int k) {
        return new CrossValidation(k, "", "");
    }

    /** @return whether candidates are cross-validated */
    public boolean enabled() {
        return folds > 0;
    }

    /** @return a copy with group folds over this column */
    public CrossValidation withGroupColumn(String column) {
        return new CrossValidation(folds, column, timeColumn);
    }

    /** @return a copy splitting and folding in time order by this CSV column */
    public CrossValidation withTimeColumn(String column) {
        return new CrossValidation(folds, groupColumn, column);
    }
}
