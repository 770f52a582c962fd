package io.micromodels.tune;

import java.util.List;
import java.util.Objects;

/**
 * Successive halving inside populations ({@code tune --halving}): candidates train together as members of one
 * population; when a member reaches a rung (an epoch count) its validation score is ranked among every score recorded
 * at that rung so far, and unless it is in the best {@code keep} fraction (at least one) it is masked out and recorded
 * as a {@link TrialStatus#PARTIAL} trial; its slot takes a new proposal at once, so the population stays full. Members
 * that pass every rung train on to their epochs (or stop early) as usual (ASHA's promotion rule, with masking instead of
 * pausing). Each trial records its scores at the rungs it reached ({@link TrialRecord#rungScores()}), so a resumed
 * study ranks against every finished trial's. A member trains exactly as it would alone
 * ({@link io.micromodels.population.SteppedPopulation}), so a partial trial's score is what its candidate reaches in the
 * rung's epochs. The Bayesian sampler observes partial trials at their rung score
 * ({@link BayesianSampler.Partial#RUNG_SCORE}); in a multi-objective study members are ranked by the first objective and
 * the multi-objective sampler sees partial trials as failures. Immutable, validated; part of {@code study.json}.
 *
 * <pre>{@code
 * StudyOptions o = StudyOptions.forDataset("german_credit").withHalving(new Halving(List.of(10, 30, 90), 0.5));
 * }</pre>
 *
 * @param rungs epochs at which members are judged, strictly increasing, each in {@code [1, 100000]}; empty = no halving
 * @param keep  the fraction of the scores at a rung that goes on, in {@code (0, 1)}
 */
public record Halving(List<Integer> rungs, double keep) {
    /** No halving: every candidate trains to its end. */
    public static final Halving NONE = new Halving(List.of(), 0.5);

    /** Validates: messages name the field, the allowed values and the value. */
    public Halving {
        Objects.requireNonNull(rungs, "halving.rungs must not be null (empty without halving)");
        rungs = List.copyOf(rungs);
        for (int i = 0; i < rungs.size(); i++) {
            int r = rungs.get(i);
            if (r < 1 || r > 100_000 || (i > 0 && r <= rungs.get(i - 1))) {
                throw new IllegalArgumentException("halving.rungs must be strictly increasing epochs in [1, 100000], got "
                        + rungs);
            }
        }
        if (!(keep > 0 && keep < 1)) {
            throw new IllegalArgumentException("halving.keep must be in (0, 1), got " + keep);
        }
    }

    /** @return whether candidates are halved */
    public boolean enabled() {
        return !rungs.isEmpty();
    }

    /**
     * @param rank  1-based rank of a score among the {@code count} scores at its rung (1 = best)
     * @param count scores recorded at the rung, the member's own included
     * @return whether a member of that rank goes on: {@code rank <= max(1, floor(keep * count))}
     */
    public boolean promotes(int rank, int count) {
        return rank <= Math.max(1, (int) Math.floor(keep * count + 1e-9));
    }
}
