package io.micromodels.cli;

/** A user-facing command-line error: printed as one line, exit code 2, no stack trace. */
public class CliException extends RuntimeException {
    /** An error with a message that says what was wrong and what was expected. */
    public CliException(String message) {
        super(message);
    }
}
