package io.micromodels.data;

/**
 * The kind of a raw input column, inferred from its cells or set in {@link DataOptions#columnKinds()}.
 *
 * <p>Inference, over the non-missing cells: all numbers → {@link #INTEGER} when every value is whole, else
 * {@link #NUMERIC}; all tokens of one boolean family ({@code true/false}, {@code yes/no}, {@code y/n}, {@code t/f},
 * case-insensitive) → {@link #BOOLEAN}; all matching one known date-time pattern → {@link #DATETIME}; otherwise
 * {@link #CATEGORICAL}. A 0/1 column stays {@link #INTEGER}. A column with no value at all is dropped (see the data
 * report).
 */
public enum ColumnKind {
    /** Real numbers: imputed with the training median, scaled. One feature. */
    NUMERIC,
    /** Whole numbers: treated exactly like {@link #NUMERIC}. One feature. */
    INTEGER,
    /** Text levels: imputed with the training mode, one-hot encoded over the training levels. */
    CATEGORICAL,
    /** Two-valued tokens: one 0/1 feature, imputed with the training mode, not scaled. */
    BOOLEAN,
    /** Date-times: cyclical sin/cos features of hour of day, day of week and month, not scaled. */
    DATETIME;

    /** True for {@link #NUMERIC} and {@link #INTEGER}. */
    public boolean isNumeric() {
        return this == NUMERIC || this == INTEGER;
    }
}
