package io.micromodels.text;

import java.util.Locale;

/**
 * Numbers for people, the one formatter of labels, messages and printed tables: {@link #num} and {@link #signed} for
 * labels (as short as the value allows), {@link #measure}, {@link #rate} and {@link #ratio} for columns of measured
 * figures (a fixed number of decimals per magnitude, so a column reads evenly). Always {@link Locale#ROOT}.
 */
public final class Fmt {
    private Fmt() {}

    /** A short, human-readable rendering: integers without decimals, else up to 3-4 significant digits. */
    public static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            int decimals = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 3 + (int) Math.floor(-Math.log10(a));
            decimals = Math.min(decimals, 6);
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            if (s.indexOf('.') >= 0) {
                s = s.replaceAll("0+$", "");
                if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Like {@link #num} but with an explicit sign for non-negative values. */
    public static String signed(double v) {
        String s = num(v);
        return v >= 0 && !s.startsWith("-") ? "+" + s : s;
    }

    /** A measured quantity (a time, a size) in a table: about four significant digits, no grouping; "-" if not finite. */
    public static String measure(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        double a = Math.abs(v);
        String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 1 ? "%.3f" : "%.4f";
        return String.format(Locale.ROOT, f, v);
    }

    /** A ratio with two decimals and an {@code x}, e.g. {@code 1.63x}; "-" if not finite. */
    public static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    /** A rate such as samples per second: whole numbers from 100 up, else as {@link #measure}; "-" if not finite. */
    public static String rate(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : measure(v);
    }
}
