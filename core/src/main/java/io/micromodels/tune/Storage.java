package io.micromodels.tune;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Where a study's header and trials are kept: the persistence extension point (Optuna's {@code BaseStorage}).
 * {@link JournalStorage} (a folder: {@code study.json} and an append-only {@code trials.jsonl}) is the
 * implementation today; the contract is written so that a database storage can let several workers, in several
 * processes, share one study:
 * <ul>
 *   <li>{@link #claim} takes the next trial number atomically and records the trial as
 *       {@link TrialStatus#RUNNING} with its point and spec, so every worker's sampler sees it;</li>
 *   <li>{@link #tell} records how a claimed trial ended (state, score, per-fold scores, epochs, timings), once;</li>
 *   <li>{@link #trials} returns every trial, running ones included, in number order;</li>
 *   <li>no number is used twice and no told trial is lost.</li>
 * </ul>
 * A storage does not judge trials (no best, no objective) and never trains: the {@link Study} does that.
 *
 * <p>Creating and opening a study are the implementation's static factories (for the journal
 * {@link JournalStorage#create} and {@link JournalStorage#open}), since they say where the study lives.
 */
public interface Storage {

    /** @return the study's identity and options as last recorded */
    StudyHeader header();

    /**
     * Records changed options (a new trial target, other execution settings); id, metric and data stay.
     *
     * @param options the new options
     */
    void updateOptions(StudyOptions options);

    /** @return every trial so far, running ones included, in number order */
    List<TrialRecord> trials();

    /**
     * Claims the next trial number and records the trial as running, atomically.
     *
     * @param running makes the {@link TrialStatus#RUNNING} record for the number claimed (its id, point, spec and
     *                seed); called once, with the number
     * @return the record as stored
     */
    TrialRecord claim(IntFunction<TrialRecord> running);

    /**
     * Records how a claimed trial ended.
     *
     * @param finished the trial's finished record (same id and number as claimed, any state but running)
     * @throws IllegalStateException when the trial was not claimed here or was already told
     */
    void tell(TrialRecord finished);

    /**
     * Holds the storage for a run of trials, until closed: the journal takes its folder's operating-system lock
     * (refusing, with a {@link StudyInUseException}, when another process holds it or has written trials since this
     * storage read them). A storage that many workers share through a database holds nothing.
     *
     * @return the hold, to close when the run ends
     */
    default Hold hold() {
        return () -> { };
    }

    /** @return remarks made while opening (a truncated last line cut off); empty by default */
    default List<String> notes() {
        return List.of();
    }

    /** A hold on a storage ({@link #hold()}); closing it releases it. */
    @FunctionalInterface
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }
}
