package io.micromodels.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --sep} option, a picocli mixin shared by every command that reads a CSV ({@link DataFlags} for train and
 * tune; predict and explain). Holds no ND4J type, so {@code predict} can use it without loading ND4J.
 */
final class SeparatorFlag {
    @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator of the CSV files (default ','; \\t or tab for a tab).")
    String value;

    /** The separator: ',' unless given. */
    char get() {
        return value == null ? ',' : Separator.parse(value);
    }

    boolean given() {
        return value != null;
    }
}
