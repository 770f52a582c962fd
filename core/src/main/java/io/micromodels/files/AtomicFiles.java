package io.micromodels.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file the project writes goes through here: the bytes go to a temporary file beside the target (named
 * {@code .NAME.RANDOM.tmp}, so a temporary file left by a killed run never blocks the next one), which then
 * is forced to disk and replaces the target in one atomic rename. A reader sees the old file or the whole new one, never half of it.
 * Without {@code overwrite} the temporary file is hard-linked to the target name, which fails atomically when the
 * name exists, so two writers racing for one name cannot both succeed. Files are created with the process umask
 * (as other tools do), not forced private.
 *
 * <pre>{@code
 * AtomicFiles.write(dir.resolve("importance.csv"), false, out -> out.write(csv.getBytes(UTF_8)));
 * }</pre>
 */
public final class AtomicFiles {
    /** Writes a file's content to the given stream (which the helper closes). */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content. */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param overwrite replace an existing file; otherwise an existing file is left as it was and a
     *                  {@link FileAlreadyExistsException} is thrown
     * @throws IOException when writing or renaming fails; the temporary file is removed
     */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(target + " already exists; not overwriting it");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            if (overwrite) {
                try {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    Files.createLink(abs, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw new FileAlreadyExistsException(target + " already exists; not overwriting it");
                } catch (UnsupportedOperationException | IOException e) {
                    // no hard links on this file system: a plain move, which never replaces an existing file
                    Files.move(tmp, abs);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write(Path, boolean, Content)} of bytes. */
    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }

    /** {@link #write(Path, boolean, Content)} with I/O errors unchecked, the message naming the file. */
    public static void writeUnchecked(Path target, boolean overwrite, Content content) {
        try {
            write(target, overwrite, content);
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
