package io.micromodels.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * A new, empty run folder, claimed for this run: {@code out} if given (created; must be empty unless forced),
     * else a new runs/STAMP-name (created atomically, with a suffix when a folder of that name exists). The claim
     * is the file {@value #CLAIM}, created only if absent, so two runs given the same empty {@code --out} cannot
     * both go on: the second stops here, before any work, unless {@code force}.
     */
    static Path runDir(Path out, String name, boolean force) {
        Path dir = out;
        try {
            if (dir == null) {
                Path runs = Path.of("runs");
                Files.createDirectories(runs);
                String base = LocalDateTime.now().format(STAMP) + "-" + name;
                for (int i = 1; ; i++) {
                    dir = runs.resolve(i == 1 ? base : base + "-" + i);
                    try {
                        Files.createDirectory(dir);
                        break;
                    } catch (FileAlreadyExistsException taken) {
                        // another run has it: try the next suffix
                    }
                }
            } else {
                checkRunDir(dir, force);
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        claim(dir, name, force);
        return dir;
    }

    /** The file that claims a run folder for one run (it stays, recording which command wrote the folder). */
    static final String CLAIM = ".micromodels-run";

    private static void claim(Path dir, String name, boolean force) {
        Path marker = dir.resolve(CLAIM);
        byte[] text = (name + " pid " + ProcessHandle.current().pid() + " " + java.time.Instant.now() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            Files.write(marker, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            if (!force) {
                throw new CliException("--out " + dir + " is already claimed by another run (it holds " + CLAIM
                        + "); choose another folder or add --force");
            }
            try {
                Files.write(marker, text);
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot write " + marker + ": " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker + ": " + e.getMessage(), e);
        }
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
