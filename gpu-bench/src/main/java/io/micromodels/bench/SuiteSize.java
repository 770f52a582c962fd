package io.micromodels.bench;

import java.util.Locale;

/** How much of its grid a suite runs: {@code quick} (about two minutes) or {@code full}. */
public enum SuiteSize {
    QUICK, FULL;

    /** Parses {@code quick} or {@code full} (any case). */
    public static SuiteSize parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--suite must be quick or full, not '" + s + "'");
        }
    }

    /** Lower-case name as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
