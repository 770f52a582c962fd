package io.micromodels.tune;

/** A study folder is locked by another process running it: the message names the folder and the lock file. */
public final class StudyInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the study folder and lock file */
    public StudyInUseException(String message) {
        super(message);
    }
}
