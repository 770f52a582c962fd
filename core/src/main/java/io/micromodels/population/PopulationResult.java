package io.micromodels.population;

import io.micromodels.train.TrainingResult;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@link Population#fit} returns: one {@link TrainingResult} per member, in the order the members were given,
 * each holding a plain DL4J network built from the member's spec with the parameters of its best epoch. Holds
 * native memory: closing it frees every member's network (close the result, or each member you keep, not both).
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

    /**
     * Frees every member's network: its parameters, its updater state if it was trained further, and this thread's
     * DL4J workspaces once. Unlike K calls of {@link TrainingResult#close()}, it does not call {@code System.gc()} per
     * network ({@code MultiLayerNetwork.close()} does, about 7 ms each here; hundreds of forced collections in a row
     * also give ND4J's deallocator threads a window to free buffers native code is still using, which crashed a
     * benchmark run inside DL4J's own {@code fit}).
     */
    @Override
    public void close() {
        for (TrainingResult r : members) {
            TrainingResult.release(r.network());
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

}
