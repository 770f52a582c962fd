package io.micromodels.data;

import java.util.concurrent.atomic.LongAdder;

/**
 * Categorical cells not seen in training, counted during the transforms the caller passes it to. The caller owns it:
 * one counter per batch (or per split, or per request) gives that batch's count, with nothing to reset on a shared
 * pipeline. Thread-safe (a {@link LongAdder}), so one counter may follow transforms on several threads.
 *
 * <pre>{@code
 * UnseenCounter unseen = new UnseenCounter();
 * INDArray x = pipeline.transform(table, DataType.FLOAT, unseen);
 * if (unseen.count() > 0) log.warn(unseen.count() + " unseen categories");
 * }</pre>
 */
public final class UnseenCounter {
    private final LongAdder cells = new LongAdder();

    /** The number of unseen categorical cells counted so far. */
    public long count() {
        return cells.sum();
    }

    void add(long n) {
        cells.add(n);
    }

    void increment() {
        cells.increment();
    }

    @Override
    public String toString() {
        return "UnseenCounter(" + count() + ")";
    }
}
