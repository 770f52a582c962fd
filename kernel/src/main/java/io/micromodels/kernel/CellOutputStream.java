package io.micromodels.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cell's {@code System.out} or {@code System.err}: output is collected and passed to the kernel's stream every
 * {@link #FLUSH_MILLIS} ms (so a loop of {@code printf}s becomes a few stream messages, not one per fragment), and
 * whenever the cell ends or shows rich output.
 */
final class CellOutputStream extends OutputStream {
    static final long FLUSH_MILLIS = 100;
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notebook-output-flusher");
        t.setDaemon(true);
        return t;
    });

    private final PrintStream target;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    CellOutputStream(PrintStream target) {
        this.target = target;
        FLUSHER.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        if (buffer.size() > 8192) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (buffer.size() > 0) {
            target.write(buffer.toByteArray(), 0, buffer.size());
            target.flush();
            buffer.reset();
        }
    }
}
