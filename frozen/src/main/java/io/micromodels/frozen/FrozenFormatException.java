package io.micromodels.frozen;

import java.io.IOException;

/**
 * A frozen model file that cannot be read: not a zip, no {@code frozen.json} entry, malformed JSON, an unknown
 * or missing key, a wrong type or an inconsistent shape. The message names the file (and zip entry), the JSON
 * location and the key.
 */
public class FrozenFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message full message, naming source and location */
    public FrozenFormatException(String message) {
        super(message);
    }

    /** @param message full message, naming source and location; @param cause underlying error */
    public FrozenFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
