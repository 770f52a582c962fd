package io.micromodels.io;

/** A saved model file cannot be read: missing, truncated, corrupted or of another format. The message names the file. */
public class ModelFormatException extends RuntimeException {
    /** An error naming the file and what is wrong with it. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error naming the file and what is wrong with it. */
    public ModelFormatException(String message) {
        super(message);
    }
}
