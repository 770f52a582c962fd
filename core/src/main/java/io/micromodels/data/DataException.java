package io.micromodels.data;

/**
 * A data problem a person must fix: a malformed CSV, a missing column, a value of the wrong kind, bad options.
 * Messages name the file, the row (its 1-based line number in the file), the column and what was expected, e.g.
 * {@code "credit.csv: line 17 has 4 columns, expected 5 (header: a, b, c, d, e)"}.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
