package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;

/** {@link TrialExecutor#threaded(int)}: one network per candidate, on a pool of daemon threads kept until {@link #close()}. */
final class ThreadedTrialExecutor implements TrialExecutor {
    private final int threads;
    /** What trials are scored by; null = the task's default ({@link Objective#forTask(io.micromodels.data.TaskInfo)}). */
    private final Objective objective;
    private ExecutorService pool;

    /** Whether trials stop early on {@link #objective} rather than on the validation loss. */
    private final boolean stopOnObjective;

    ThreadedTrialExecutor(int threads) {
        this(threads, null, false);
    }

    ThreadedTrialExecutor(int threads, Objective objective, boolean stopOnObjective) {
        this.objective = objective;
        this.stopOnObjective = stopOnObjective && objective != null;
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData data, ObjIntConsumer<TrialOutcome> finished) {
        List<TrialOutcome> out = new ArrayList<>(candidates.size());
        if (threads == 1 || candidates.size() == 1) {
            for (int i = 0; i < candidates.size(); i++) {
                TrialOutcome o = TrialExecutor.train(candidates.get(i), data, objective, stopOnObjective);
                finished.accept(o, i);
                out.add(o);
            }
            return out;
        }
        List<Future<TrialOutcome>> futures = new ArrayList<>();
        ExecutorService p = pool();
        for (int i = 0; i < candidates.size(); i++) {
            int index = i;
            MicromodelSpec spec = candidates.get(i);
            futures.add(p.submit(() -> {
                TrialOutcome o = TrialExecutor.train(spec, data, objective, stopOnObjective);
                finished.accept(o, index);
                return o;
            }));
        }
        RuntimeException error = null;
        for (Future<TrialOutcome> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trials were running", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (error == null) {
                    error = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
                out.add(null);
            }
        }
        if (error != null) {
            throw error;
        }
        return out;
    }

    /** Shuts the pool down and waits for its threads to end (after the trials in flight); a later batch starts a new pool. */
    @Override
    public void close() {
        ExecutorService p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.shutdown();
            try {
                while (!p.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    // trials still in flight: they end, each is bounded by its epochs
                }
            } catch (InterruptedException e) {
                p.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "micromodels-trial-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
