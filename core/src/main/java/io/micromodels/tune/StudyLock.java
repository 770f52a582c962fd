package io.micromodels.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive operating-system lock on a study folder's {@value #FILE}, held while a {@link Study} reads or writes
 * its files, so that two processes cannot run one study at once. The lock dies with its process: a lock file left
 * by a killed run never blocks the next one. Within one JVM a second lock on the same folder is refused too
 * ({@link OverlappingFileLockException}).
 */
final class StudyLock implements AutoCloseable {
    /** The lock file in the study folder (empty; only its lock matters). */
    static final String FILE = "study.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StudyLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws StudyInUseException when another process (or another study object in this JVM) holds it
     */
    static StudyLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the study lock " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(ch);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            close(ch);
            throw new StudyInUseException("study " + dir + " is in use by another tune process (it holds " + file
                    + "); wait for it to finish, then resume");
        }
        return new StudyLock(ch, lock);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a channel we only opened to lock
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel is closed next, which releases it anyway
        }
        close(channel);
    }
}
