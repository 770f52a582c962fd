package io.micromodels.data;

/**
 * What to do with the cells of an almost numeric column that are not numbers (a stray {@code abc} among thousands of
 * numbers). A column counts as almost numeric when at least {@value BadCells#NUMERIC_SHARE_PERCENT}% of its non-missing
 * cells, and at least {@value BadCells#MIN_NUMBERS} cells, are numbers (or when its kind is set to NUMERIC/INTEGER in
 * {@link DataOptions#columnKinds()}). Such a column stays numeric; it is never turned into a categorical column with
 * one level per distinct number.
 */
public enum BadCellPolicy {
    /** Refuse the data: a one-line error naming the file, the column, the first bad cells with their lines, and the count. */
    ERROR,
    /** Treat the bad cells as missing (imputed like any missing cell), with a one-line warning per column in the report. */
    MISSING
}
