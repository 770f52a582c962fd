package io.micromodels.explain;

import java.util.Locale;

/** Number formatting shared by labels and messages. */
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
}
