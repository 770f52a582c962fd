package io.micromodels.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where commands write: {@code --out PATH}, or a new folder under {@code runs/}; an existing file is never
 * overwritten unless {@code --force} is given, and an input file is never an output.
 */
final class Outputs {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Outputs() {
    }

    /**
     * Fails early, before any work, when {@link #runDir} would refuse {@code out}: a file, or a non-empty folder
     * without {@code force}. Creates nothing.
     */
    static void checkRunDir(Path out, boolean force) {
        if (out == null) {
            return;
        }
        if (Files.isRegularFile(out)) {
            throw new CliException("--out " + out + " is a file; give a folder");
        }
        if (Files.isDirectory(out) && !isEmpty(out) && !force) {
            throw new CliException("--out " + out + " already exists and is not empty; choose another folder or add --force");
        }
    }

    /** A new, empty run folder: {@code out} if given (created; must be empty unless forced), else runs/STAMP-name. */
    static Path runDir(Path out, String name, boolean force) {
        Path dir = out;
        if (dir == null) {
            Path runs = Path.of("runs");
            String base = LocalDateTime.now().format(STAMP) + "-" + name;
            dir = runs.resolve(base);
            for (int i = 2; Files.exists(dir); i++) {
                dir = runs.resolve(base + "-" + i);
            }
        } else if (Files.isRegularFile(dir)) {
            throw new CliException("--out " + dir + " is a file; give a folder");
        } else if (Files.isDirectory(dir) && !isEmpty(dir) && !force) {
            throw new CliException("--out " + dir + " already exists and is not empty; choose another folder or add --force");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Checks that {@code file} may be written: not one of the inputs, and absent unless forced. */
    static Path outputFile(Path file, boolean force, Path... inputs) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in != null && in.toAbsolutePath().normalize().equals(abs)) {
                throw new CliException("--out " + file + " is also an input; refusing to overwrite it");
            }
        }
        if (Files.exists(file) && !force) {
            throw new CliException("--out " + file + " already exists; choose another name or add --force");
        }
        Path parent = abs.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + parent + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
