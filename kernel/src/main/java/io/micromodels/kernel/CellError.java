package io.micromodels.kernel;

import java.util.List;

/**
 * What a failed cell shows: an error name (the exception's simple class name, {@code CompilationError} or
 * {@code Interrupted}), its message and a short traceback (the exception and its causes, each with the frames that are
 * in the cell's own code or the project's, never JShell's machinery).
 */
final class CellError extends RuntimeException {
    private final String name;
    private final List<String> traceback;

    CellError(String name, String message, List<String> traceback) {
        super(message, null, false, false);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    String name() {
        return name;
    }

    List<String> traceback() {
        return traceback;
    }
}
