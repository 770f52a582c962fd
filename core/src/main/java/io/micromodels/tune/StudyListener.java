package io.micromodels.tune;

import java.util.List;

/** Told about every finished trial of a running {@link Study}, for leaderboards and logs. */
@FunctionalInterface
public interface StudyListener {

    /**
     * Called once per finished trial, after the storage recorded it ({@code trials.jsonl}), one call at a
     * time (possibly from a trial thread).
     *
     * @param trial    the trial just finished
     * @param finished every finished trial of the study so far, in number order (this one included; a trial of the
     *                 same batch with a lower number may still be running)
     */
    void onTrial(TrialRecord trial, List<TrialRecord> finished);

    /** Called with a one-line remark (for example that the generator has no more candidates). */
    default void onNote(String note) {
    }
}
