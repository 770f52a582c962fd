package io.micromodels.population;

import io.micromodels.train.TrainingResult;
import java.util.List;

/**
 * What {@link Population#fit} returns: one {@link TrainingResult} per member, in the order the members were given,
 * each holding a plain DL4J network built from the member's spec with the parameters of its best epoch. Holds
 * native memory: closing it closes every member's network (close the result, or each member you keep, not both).
 *
 * @param members     per-member outcome: best epoch and validation loss, epochs run, why it stopped, history,
 *                    and {@code seconds} = wall-clock time from the start of the population until that member stopped
 * @param epochs      epochs the population ran (the longest-running member's)
 * @param steps       minibatch steps the population ran (each trains every still-active member once)
 * @param compactions how many times stopped members were dropped and the population rebuilt smaller
 * @param trainingSeconds wall-clock seconds of the epoch loop alone (minibatch steps, validation, early-stopping
 *                    bookkeeping, compaction), without the members' DL4J initialisation and export
 * @param seconds     wall-clock seconds of the whole fit, including initialisation and export
 */
public record PopulationResult(List<TrainingResult> members, int epochs, long steps, int compactions,
                               double trainingSeconds, double seconds)
        implements AutoCloseable {

    /** Copies the member list. */
    public PopulationResult {
        members = List.copyOf(members);
    }

    /** The outcome of member {@code i} (its position in the list given to {@link Population#fit}). */
    public TrainingResult member(int i) {
        return members.get(i);
    }

    /** Closes every member's network. */
    @Override
    public void close() {
        for (TrainingResult r : members) {
            r.close();
        }
    }
}
