package io.micromodels.bench;

import java.util.Locale;

/** Number formatting shared by tables: about four significant digits, no grouping. */
public final class Fmt {

    private Fmt() {
    }

    /** A time or other positive quantity with about four significant digits. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        double a = Math.abs(v);
        String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 1 ? "%.3f" : "%.4f";
        return String.format(Locale.ROOT, f, v);
    }

    /** A ratio with two decimals and an {@code x}, e.g. {@code 1.63x}. */
    public static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    /** An integer-valued rate such as samples per second. */
    public static String rate(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : num(v);
    }
}
