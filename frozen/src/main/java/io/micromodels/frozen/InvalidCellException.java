package io.micromodels.frozen;

/**
 * A raw cell that a {@link FrozenPipeline} cannot use, naming the column and the value. Pipelines may throw any
 * {@link IllegalArgumentException}; throwing this subclass additionally lets callers such as the frozen-server module's {@code FrozenServer}
 * report the column as a structured field.
 */
public class InvalidCellException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String value;

    /**
     * @param column the raw column name
     * @param value  the offending cell text ({@code null} when missing)
     * @param reason what is wrong, e.g. {@code "is not a number"}
     */
    public InvalidCellException(String column, String value, String reason) {
        super("column '" + column + "': " + (value == null ? "missing value" : "value '" + abbreviate(value) + "'") + " " + reason);
        this.column = column;
        this.value = value;
    }

    private InvalidCellException(String column, String value, String message, Throwable cause) {
        super(message, cause);
        this.column = column;
        this.value = value;
    }

    /**
     * A bad cell described by a complete message of the caller's, which should name the column and the value (the
     * compiled pipeline's steps use this to keep their own wording).
     *
     * @param cause the parse error behind it, or {@code null}
     */
    public static InvalidCellException withMessage(String column, String value, String message, Throwable cause) {
        return new InvalidCellException(column, value, message, cause);
    }

    /** The raw column name. */
    public String column() {
        return column;
    }

    /** The offending cell text, or {@code null} when the cell was missing. */
    public String value() {
        return value;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
