package io.micromodels.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Output files that are never silently overwritten: an existing file is replaced only with
 * {@code force}; the default output directory is a fresh one per run.
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Throws if {@code file} exists and {@code force} is false.
     *
     * @throws FileAlreadyExistsException "refusing to overwrite FILE (pass --force to replace it)"
     */
    public static void checkFree(Path file, boolean force) throws FileAlreadyExistsException {
        if (!force && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "refusing to overwrite " + file + " (pass --force to replace it)");
        }
    }

    /** Writes UTF-8 text, creating parent directories; refuses an existing file unless {@code force}. */
    public static Path writeString(Path file, String text, boolean force) throws IOException {
        checkFree(file, force);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * A directory under {@code parent} that does not exist yet, named after the current local time
     * ({@code run-yyyyMMdd-HHmmss}, with {@code -2}, {@code -3}... if taken). It is not created.
     */
    public static Path freshDir(Path parent) {
        String base = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = parent.resolve(base);
        for (int i = 2; Files.exists(p); i++) p = parent.resolve(base + "-" + i);
        return p;
    }

    /** A file-name-safe form of {@code s}: letters, digits, dot, dash and underscore. */
    public static String safeName(String s) {
        String r = s.replaceAll("[^A-Za-z0-9._-]+", "_");
        return r.isEmpty() ? "_" : r;
    }
}
