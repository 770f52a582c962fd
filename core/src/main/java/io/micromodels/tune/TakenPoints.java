package io.micromodels.tune;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points a study's trials already hold, counted with repetition, for samplers that replay a fixed sequence
 * ({@link RandomSampler}, and Arbiter's random and grid generators in {@link ArbiterSampler}): the sequence is
 * walked from its start and each point already recorded is skipped once, so a resumed study or a second worker
 * continues where the trials end, and a trial lost in flight is proposed again first.
 */
final class TakenPoints {
    private final Map<String, Integer> counts = new HashMap<>();

    /** @param trials every trial so far; their points (shape {@code [d]} each) are counted */
    TakenPoints(List<TrialRecord> trials) {
        for (TrialRecord r : trials) {
            counts.merge(Arrays.toString(r.point()), 1, Integer::sum);
        }
    }

    /**
     * Whether {@code p} (shape {@code [d]}) is not among the recorded points still uncounted; when it is, one of its
     * recorded copies is used up.
     */
    boolean isNew(double[] p) {
        String key = Arrays.toString(p);
        Integer n = counts.get(key);
        if (n == null) {
            return true;
        }
        if (n == 1) {
            counts.remove(key);
        } else {
            counts.put(key, n - 1);
        }
        return false;
    }
}
