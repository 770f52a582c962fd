package io.micromodels.frozen.plan;

import java.util.Locale;

/**
 * The parsing rules shared by training and inference: which cells count as missing and which text is a number.
 *
 * <p>Missing: {@code null}, the empty string (after stripping whitespace), and the tokens {@code NA}, {@code N/A},
 * {@code NaN}, {@code null} and {@code ?} (case-insensitive). So a literal {@code NaN} in a numeric column is treated as a
 * missing value and imputed, never propagated into the features.
 *
 * <p>Numbers: an optional sign, digits with at most one decimal point, and an optional exponent ({@code 1e-3}); leading
 * and trailing whitespace is ignored. Java-only forms that {@link Double#parseDouble} would accept ({@code 1d},
 * {@code 0x1p3}) are not numbers here. Infinite values ({@code Infinity}, {@code inf}, or a literal that overflows such as
 * {@code 1e999}) are rejected by {@link #number(String)}: a model cannot use them, and silently imputing them would hide a
 * data error.
 */
public final class Cells {
    private Cells() {
    }

    /** True when the cell is missing (see the class comment). */
    public static boolean isMissing(String cell) {
        if (cell == null) {
            return true;
        }
        int start = 0;
        int end = cell.length();
        while (start < end && Character.isWhitespace(cell.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(cell.charAt(end - 1))) {
            end--;
        }
        switch (end - start) {
            case 0:
                return true;
            case 1:
                return cell.charAt(start) == '?';
            case 2:
                return cell.regionMatches(true, start, "NA", 0, 2);
            case 3:
                return cell.regionMatches(true, start, "N/A", 0, 3) || cell.regionMatches(true, start, "NaN", 0, 3);
            case 4:
                return cell.regionMatches(true, start, "null", 0, 4);
            default:
                return false;
        }
    }

    /** True when the (non-missing) cell is numeric text, finite or not: the test schema inference uses. */
    public static boolean isNumeric(String cell) {
        return isDecimal(cell) || isInfinity(cell);
    }

    /** True when the cell spells an infinite value ({@code Infinity}, {@code -inf}, ...). */
    public static boolean isInfinity(String cell) {
        String s = cell.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("inf") || s.equals("infinity");
    }

    /**
     * Parses a finite number.
     *
     * @throws NumberFormatException when the text is not a number or is infinite (the message says which)
     */
    public static double number(String cell) {
        if (!isDecimal(cell)) {
            if (isInfinity(cell)) {
                throw new NumberFormatException("infinite value '" + cell + "'");
            }
            throw new NumberFormatException("not a number: '" + cell + "'");
        }
        double v = Double.parseDouble(cell.strip());
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("infinite value '" + cell + "' (out of double range)");
        }
        return v;
    }

    /**
     * A numeric column's cell as the numeric steps read it: {@code impute} for a missing cell, else the finite number.
     *
     * @throws io.micromodels.frozen.InvalidCellException naming the column and the cell when it is not a number
     */
    static double numberOr(String column, String cell, double impute) {
        if (isMissing(cell)) {
            return impute;
        }
        try {
            return number(cell);
        } catch (NumberFormatException e) {
            throw io.micromodels.frozen.InvalidCellException.withMessage(column, cell,
                    "column '" + column + "': " + e.getMessage() + " (expected a number)", e);
        }
    }

    /** Strict decimal syntax: [+-]digits[.digits][(e|E)[+-]digits], at least one digit in the mantissa. */
    static boolean isDecimal(String cell) {
        int i = 0;
        int n = cell.length();
        while (i < n && Character.isWhitespace(cell.charAt(i))) {
            i++;
        }
        while (n > i && Character.isWhitespace(cell.charAt(n - 1))) {
            n--;
        }
        if (i < n && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(cell.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && cell.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(cell.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
            i++;
            if (i < n && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(cell.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
