package io.micromodels.tune;

import io.micromodels.files.AtomicFiles;
import io.micromodels.json.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A study kept in a folder, the default {@link Storage}: {@value #STUDY_FILE} (the {@link StudyHeader}, strict JSON,
 * rewritten atomically) and {@value #TRIALS_FILE} (one finished {@link TrialRecord} per line, appended and forced to
 * disk as each trial is told, so a killed study loses only the trials in flight).
 *
 * <p>One process writes a journal at a time: it holds the operating-system lock on {@code study.lock} while it
 * opens, changes or runs the study ({@link #hold()}; each write outside a hold takes it for that write), and refuses
 * to write when {@code trials.jsonl} changed since it read it (another process ran the study). Running trials are
 * therefore kept in memory only: the holder is their only writer. A trial claimed and never told (the process was
 * killed) leaves its number unused; numbers are unique, in claim order, and lines are in the order trials finished.
 * A truncated last line (a write cut off by a kill) is reported in {@link #notes()} and cut off when the study is
 * opened; any other unreadable line is an error naming the file and line.
 *
 * <pre>{@code
 * JournalStorage s = JournalStorage.open(Path.of("runs/credit-study"));
 * for (TrialRecord t : s.trials()) System.out.println(t.number() + " " + t.status() + " " + t.score());
 * }</pre>
 */
public final class JournalStorage implements Storage {
    /** The header file. */
    public static final String STUDY_FILE = "study.json";
    /** The trials file, one JSON record per line. */
    public static final String TRIALS_FILE = "trials.jsonl";

    private final Path dir;
    private StudyHeader header;
    /** Every trial by number: finished ones as read or told, running ones as claimed here. */
    private final TreeMap<Integer, TrialRecord> trials = new TreeMap<>();
    private final Set<String> ids = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    /** Size of trials.jsonl as this object last read or wrote it: another writer shows as a different size. */
    private long trialsBytes;
    private int highest;
    /** The lock while held by {@link #hold()}, else null. */
    private StudyLock held;

    private JournalStorage(Path dir, StudyHeader header) {
        this.dir = dir;
        this.header = header;
    }

    /**
     * Creates a study folder ({@code dir} is created; it must not already hold a study).
     *
     * @param dir    the folder
     * @param header the new study's header
     * @return the storage, with no trial
     * @throws IllegalArgumentException when {@code dir} already holds a study
     */
    public static JournalStorage create(Path dir, StudyHeader header) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(header, "header must not be null");
        if (Files.exists(dir.resolve(STUDY_FILE)) || Files.exists(dir.resolve(TRIALS_FILE))) {
            throw new IllegalArgumentException(dir + " already holds a study; resume it or choose another folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create study folder " + dir + ": " + e.getMessage(), e);
        }
        JournalStorage s = new JournalStorage(dir, header);
        try (StudyLock lock = StudyLock.acquire(dir)) {
            try {
                Files.write(dir.resolve(TRIALS_FILE), new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(dir + " already holds a study; resume it or choose another folder");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create study folder " + dir + ": " + e.getMessage(), e);
            }
            s.writeHeader();
        }
        return s;
    }

    /**
     * Opens a study folder, reading its header and trials (under the folder's lock).
     *
     * @param dir the folder
     * @return the storage with its finished trials
     * @throws IllegalArgumentException when the folder, {@code study.json} or {@code trials.jsonl} is missing or
     *     corrupted (naming the file and line)
     * @throws StudyInUseException when another process holds the study
     */
    public static JournalStorage open(Path dir) {
        Objects.requireNonNull(dir, "dir must not be null");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("study folder " + dir + " does not exist");
        }
        Path studyFile = dir.resolve(STUDY_FILE);
        if (!Files.isRegularFile(studyFile)) {
            throw new IllegalArgumentException(studyFile + " is missing: " + dir + " is not a study folder");
        }
        String json;
        try {
            json = Files.readString(studyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + studyFile + ": " + e.getMessage(), e);
        }
        JournalStorage s = new JournalStorage(dir, StudyHeader.fromJson(json, studyFile.toString()));
        try (StudyLock lock = StudyLock.acquire(dir)) {
            s.load();
        }
        return s;
    }

    /** @return the study folder */
    public Path dir() {
        return dir;
    }

    @Override
    public synchronized StudyHeader header() {
        return header;
    }

    @Override
    public synchronized void updateOptions(StudyOptions options) {
        locked(() -> {
            StudyHeader old = header;
            header = header.withOptions(options);
            try {
                writeHeader();
            } catch (RuntimeException e) {
                header = old;
                throw e;
            }
            return null;
        });
    }

    @Override
    public synchronized List<TrialRecord> trials() {
        return List.copyOf(trials.values());
    }

    /** Claims {@code highest + 1}: kept in memory until told (this process is the journal's only writer). */
    @Override
    public synchronized TrialRecord claim(IntFunction<TrialRecord> running) {
        int number = highest + 1;
        TrialRecord r = Objects.requireNonNull(running.apply(number), "running record");
        if (r.number() != number || r.status() != TrialStatus.RUNNING) {
            throw new IllegalArgumentException("claimed trial " + number + " must be RUNNING with that number, got "
                    + r.status() + " number " + r.number());
        }
        if (!ids.add(r.id())) {
            throw new IllegalArgumentException("trial id '" + r.id() + "' repeats an earlier trial's");
        }
        highest = number;
        trials.put(number, r);
        return r;
    }

    @Override
    public synchronized void tell(TrialRecord finished) {
        TrialRecord claimed = trials.get(finished.number());
        if (claimed == null || claimed.finished()) {
            throw new IllegalStateException("trial " + finished.number() + " was " + (claimed == null ? "not claimed here"
                    : "already told") + "; a trial is told once");
        }
        if (!finished.finished() || !claimed.id().equals(finished.id())) {
            throw new IllegalArgumentException("trial " + finished.number() + " must be told finished with id "
                    + claimed.id() + ", got " + finished.status() + " id " + finished.id());
        }
        locked(() -> {
            trialsBytes = append(dir.resolve(TRIALS_FILE), (finished.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
            return null;
        });
        trials.put(finished.number(), finished);
    }

    @Override
    public synchronized Hold hold() {
        if (held != null) {
            throw new IllegalStateException("the study " + dir + " is already held by this storage");
        }
        StudyLock lock = StudyLock.acquire(dir);
        try {
            checkUnchanged();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        held = lock;
        return () -> {
            synchronized (JournalStorage.this) {
                held = null;
                lock.close();
            }
        };
    }

    @Override
    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** Runs a write under the folder's lock (the hold's, or one taken for it), refusing when another process wrote. */
    private <T> T locked(Supplier<T> write) {
        if (held != null) {
            return write.get();
        }
        try (StudyLock lock = StudyLock.acquire(dir)) {
            checkUnchanged();
            return write.get();
        }
    }

    /**
     * Refuses to go on when another process appended trials since this object read the study (it would number
     * its trials again): the caller opens the study afresh.
     */
    private void checkUnchanged() {
        Path file = dir.resolve(TRIALS_FILE);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size != trialsBytes) {
            throw new StudyInUseException(file + " changed since this study was opened (another tune process ran it); "
                    + "resume the study again");
        }
    }

    private void writeHeader() {
        Path file = dir.resolve(STUDY_FILE);
        try {
            AtomicFiles.write(file, true, (StrictJson.write(header) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads trials.jsonl, tolerating (and cutting off) a truncated last line. */
    private void load() {
        Path file = dir.resolve(TRIALS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is missing: " + dir + " is not a complete study folder");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            line++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean last = end == bytes.length;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            TrialRecord r;
            try {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("empty line");
                }
                r = TrialRecord.fromJson(text);
            } catch (IllegalArgumentException e) {
                if (last) {
                    notes.add(file + ": line " + line + " is incomplete (" + (end - start)
                            + " bytes, a write cut off when the study was stopped); ignored it");
                    truncate(file, start);
                    bytes = Arrays.copyOf(bytes, start);
                    break;
                }
                throw new IllegalArgumentException(file + " line " + line + ": " + e.getMessage(), e);
            }
            String where = file + " line " + line + ": ";
            if (!r.finished()) {
                throw new IllegalArgumentException(where + "status must be a finished state, got " + r.status());
            }
            if (trials.containsKey(r.number())) {
                throw new IllegalArgumentException(where + "number " + r.number() + " repeats an earlier trial's");
            }
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException(where + "id '" + r.id() + "' repeats an earlier trial's");
            }
            if (!r.metric().equals(header.metric())) {
                throw new IllegalArgumentException(where + "metric must be '" + header.metric() + "', got '" + r.metric() + "'");
            }
            int m = header.options().objectives().size();
            if (r.values().length != m) {
                throw new IllegalArgumentException(where + "values must have " + m + " entries (one per objective "
                        + header.options().objectives() + "), got " + r.values().length);
            }
            if (last) {
                append(file, new byte[] {'\n'});
                bytes = Arrays.copyOf(bytes, bytes.length + 1);
            }
            trials.put(r.number(), r);
            highest = Math.max(highest, r.number());
            start = end + 1;
        }
        trialsBytes = bytes.length;
    }

    private static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the incomplete last line off " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends and forces to disk; returns the file's new size. */
    private static long append(Path file, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }
}
