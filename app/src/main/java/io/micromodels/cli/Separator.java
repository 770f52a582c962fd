package io.micromodels.cli;

/**
 * The {@code --sep} option's parser, in a class of its own so that commands which must not load ND4J
 * ({@code predict}, {@code serve}) can use it without loading {@link TrainCommand} (whose verification loads DL4J types).
 */
final class Separator {
    private Separator() {
    }

    /** One character, or {@code \t} / {@code tab} for a tab; a one-line error naming {@code --sep} otherwise. */
    static char parse(String s) {
        String t = s.equals("\\t") || s.equalsIgnoreCase("tab") ? "\t" : s;
        if (t.length() != 1) {
            throw new CliException("--sep must be one character (or \\t), got '" + s + "'");
        }
        return t.charAt(0);
    }
}
