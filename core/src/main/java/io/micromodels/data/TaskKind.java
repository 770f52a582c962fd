package io.micromodels.data;

/** What kind of prediction a model makes. */
public enum TaskKind {
    /** Two classes; labels one-hot [n, 2], {@link TaskInfo#positiveClass()} names the positive one. */
    BINARY,
    /** Three or more classes; labels one-hot [n, k]. */
    MULTICLASS,
    /** A real number; labels [n, 1], standardised with the training split's mean and std. */
    REGRESSION
}
