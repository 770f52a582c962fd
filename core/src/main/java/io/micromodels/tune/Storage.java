package io.micromodels.tune;

import java.util.List;
import java.util.Optional;
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

    /**
     * The start of the failure reason of a trial failed because its worker stopped (a database storage fails a running
     * trial whose heartbeat stopped): such a {@link TrialStatus#FAILED} trial is kept, so its number is never used
     * again and samplers see it, but it does not count toward the study's trial target, as a journal trial lost in
     * flight leaves no record at all.
     */
    String LOST = "lost: ";

    /**
     * @param r a trial
     * @return whether it counts toward the study's trial target: running, or finished and not {@link #LOST}
     */
    static boolean counts(TrialRecord r) {
        return !(r.status() == TrialStatus.FAILED && r.failure().startsWith(LOST));
    }

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
     * Claims as {@link #claim} unless the study already has {@code limit} trials that {@linkplain #counts count}
     * (running ones included), checked in the same atomic step: workers sharing a study never claim more trials
     * than its target together. This default suits a storage one process writes (the journal); a shared storage
     * checks inside its claim transaction.
     *
     * @param limit   the most counting trials the study may have, {@code >= 0}
     * @param running as for {@link #claim}
     * @return the record as stored, or empty when the limit is reached
     */
    default Optional<TrialRecord> claimWithin(int limit, IntFunction<TrialRecord> running) {
        synchronized (this) {
            if (trials().stream().filter(Storage::counts).count() >= limit) {
                return Optional.empty();
            }
            return Optional.of(claim(running));
        }
    }

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
