package io.micromodels.data;

/** What to do with rows that have missing feature cells when preparing training data. */
public enum MissingPolicy {
    /** Drop every row with a missing feature cell (counted in the report). At predict time cells are still imputed. */
    DROP_ROWS,
    /** Fill missing cells with the training split's median (numbers) or mode (categories, booleans). */
    IMPUTE
}
