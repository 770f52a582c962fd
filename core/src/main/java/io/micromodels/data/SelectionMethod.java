package io.micromodels.data;

/** How {@link DataOptions#topK()} ranks input columns against the target (on the training split). */
public enum SelectionMethod {
    /**
     * Mutual information in nats between the target (classes, or 10 equal-frequency bins of a regression target) and
     * each feature binned into at most 10 equal-frequency bins; a column's score is the maximum over its features.
     */
    MUTUAL_INFORMATION,
    /** Absolute Pearson correlation with the target (with each class's indicator for classification); maximum over the column's features. */
    CORRELATION
}
