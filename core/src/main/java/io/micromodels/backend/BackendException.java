package io.micromodels.backend;

/** The requested ND4J backend cannot be loaded; the message says why and how to fix it. */
public class BackendException extends RuntimeException {
    /** An error with a user-facing message. */
    public BackendException(String message) {
        super(message);
    }

    /** An error with a user-facing message and its cause. */
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
