package io.micromodels.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a child process with a timeout, collecting stdout lines and the tail of stderr.
 * On timeout the child (and its descendants, which it started) is destroyed.
 */
public final class Processes {

    /** Lines of stderr kept for error messages. */
    static final int STDERR_TAIL_LINES = 40;

    private Processes() {
    }

    /**
     * Result of a child process.
     *
     * @param exitCode   exit code, -1 if it could not start or timed out
     * @param stdout     all stdout lines
     * @param stderrTail the last {@value #STDERR_TAIL_LINES} stderr lines
     * @param timedOut   whether the timeout ended it
     * @param startError why it could not start, empty if it started
     * @param elapsed    wall-clock duration
     */
    public record Outcome(int exitCode, List<String> stdout, List<String> stderrTail, boolean timedOut,
                          String startError, Duration elapsed) {
        /** Last non-blank stderr line, or empty. */
        public String lastStderrLine() {
            for (int i = stderrTail.size() - 1; i >= 0; i--) {
                if (!stderrTail.get(i).isBlank()) return stderrTail.get(i).trim();
            }
            return "";
        }
    }

    /**
     * Starts {@code pb} and waits up to {@code timeout}.
     *
     * @param onStdoutLine called for each stdout line as it arrives (on a reader thread), may be null
     */
    public static Outcome run(ProcessBuilder pb, Duration timeout, Consumer<String> onStdoutLine) {
        long t0 = System.nanoTime();
        Process p;
        try {
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            return new Outcome(-1, List.of(), List.of(), false, String.valueOf(e.getMessage()),
                    Duration.ofNanos(System.nanoTime() - t0));
        }
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        Deque<String> err = new ArrayDeque<>();
        Thread outReader = new Thread(() -> drain(p, true, line -> {
            out.add(line);
            if (onStdoutLine != null) onStdoutLine.accept(line);
        }), "stdout-" + p.pid());
        Thread errReader = new Thread(() -> drain(p, false, line -> {
            synchronized (err) {
                err.addLast(line);
                while (err.size() > STDERR_TAIL_LINES) err.removeFirst();
            }
        }), "stderr-" + p.pid());
        outReader.setDaemon(true);
        errReader.setDaemon(true);
        outReader.start();
        errReader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            outReader.join(5000);
            errReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> errTail;
        synchronized (err) {
            errTail = List.copyOf(err);
        }
        List<String> outCopy;
        synchronized (out) {
            outCopy = List.copyOf(out);
        }
        return new Outcome(finished ? p.exitValue() : -1, outCopy, errTail, !finished, "",
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static void drain(Process p, boolean stdout, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                stdout ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) sink.accept(line);
        } catch (IOException e) {
            // stream closed when the process was destroyed
        }
    }
}
