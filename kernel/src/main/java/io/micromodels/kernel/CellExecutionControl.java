package io.micromodels.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * JShell's execution engine for the kernel: snippets run in the kernel's own JVM, one at a time, on one long-lived
 * cell thread (ND4J keeps per-thread state, so every cell sees the same thread). Unlike JShell's local engine it keeps
 * the value each snippet returned as an object (for rich display) and the exception a snippet threw (for a readable
 * error with its causes), and it can stop a cell that never returns: {@link #stop()} interrupts the cell thread and,
 * if the cell is still running a second later (a loop that never checks for interrupts), stops it.
 */
final class CellExecutionControl extends DirectExecutionControl {
    /** The exception "class name" a stopped cell reports (with a space, so no real class has it). */
    static final String INTERRUPTED = "Cell interrupted";
    private static final long STOP_GRACE_MILLIS = 1000;

    private final ExecutorService cellThread;
    private final CellLoaderDelegate loader;
    private final Map<String, Object> values = new HashMap<>();
    private final AtomicLong invocation = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean stopRequested;
    private volatile Throwable lastFailure;
    private long keys;

    CellExecutionControl(CellLoaderDelegate loader) {
        super(loader);
        this.loader = loader;
        this.cellThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notebook-cell");
            t.setContextClassLoader(loader.classLoader());
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    ClassLoader classLoader() {
        return loader.classLoader();
    }

    /** Runs one snippet's method on the cell thread; returns a key for {@link #takeValue(String)}. */
    @Override
    protected String invoke(Method doitMethod) throws Exception {
        stopRequested = false;
        lastFailure = null;
        invocation.incrementAndGet();
        running = true;
        try {
            Future<Object> future = cellThread.submit(() -> doitMethod.invoke(null));
            Object value = future.get();
            String key = "v" + (keys++);
            synchronized (values) {
                values.put(key, value);
            }
            return key;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (stopRequested) {
                throw new UserException("the cell was interrupted", INTERRUPTED, cause.getStackTrace());
            }
            if (cause instanceof SPIResolutionException sre) {
                throw new ResolutionException(sre.id(), cause.getStackTrace());
            }
            lastFailure = cause;
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running = false;
        }
    }

    /** The object a snippet returned (null for statements and declarations without a value). */
    Object takeValue(String key) {
        synchronized (values) {
            return values.remove(key);
        }
    }

    /** Forgets values no cell took (called before each cell). */
    void clearValues() {
        synchronized (values) {
            values.clear();
        }
    }

    /** The exception the last failed snippet threw, with its causes; null if it did not throw. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** Interrupts the running snippet; if it is still running after a grace period, stops its thread. */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread t = thread;
        if (!running || t == null) {
            return;
        }
        stopRequested = true;
        long which = invocation.get();
        t.interrupt();
        Thread stopper = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (running && invocation.get() == which) {
                try {
                    t.stop(); // the only way to end a loop that never looks at its interrupt flag
                } catch (UnsupportedOperationException e) {
                    System.err.println("this JVM cannot stop a running cell (Thread.stop is gone); restart the kernel");
                }
            }
        }, "notebook-cell-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public void close() {
        cellThread.shutdownNow();
        super.close();
    }
}
