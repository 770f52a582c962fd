package io.micromodels.tune.bayes;

import java.util.Objects;

/**
 * Settings of a {@link BayesianOptimizer}; immutable, validated on construction.
 *
 * @param initialPoints    number of trials proposed by the space-filling initial design before the
 *                         Gaussian process takes over ({@code >= 1}; default {@code max(5, 2d)})
 * @param initialDesign    the initial design (default {@link InitialDesign#SOBOL})
 * @param rawSamples       candidates scored by the acquisition function before local refinement
 *                         ({@code >= 16}; default 1024): three quarters scrambled Sobol points, one
 *                         quarter perturbations of the best observed points; past 200
 *                         finished trials the optimiser scores {@code rawSamples * 200 / n} (at
 *                         least 256), since each costs {@code O(n^2)}
 * @param refinedCandidates best raw candidates refined locally (gradient steps on continuous
 *                         coordinates, level search on discrete ones; {@code >= 1}; default 5);
 *                         past 200 finished trials {@code refinedCandidates * 200 / n} (at least 2)
 * @param fitStarts        starts of the hyperparameter fit refined by L-BFGS, chosen as the best
 *                         scored (by the objective alone, which is cheap) of
 *                         {@code max(8, 4 * fitStarts)} candidate starts: the prior modes and
 *                         random draws ({@code >= 1}; default 1, which keeps a proposal with 100
 *                         trials in 6 dimensions near 20 ms of CPU; 2 roughly doubles the fit's
 *                         cost)
 */
public record BayesOptions(int initialPoints, InitialDesign initialDesign, int rawSamples,
                           int refinedCandidates, int fitStarts) {

    /** Space-filling designs for the first trials. */
    public enum InitialDesign {
        /**
         * A Sobol sequence, randomised by a linear matrix scramble and a digital shift (up to 1000
         * dimensions; beyond that a Latin hypercube is used).
         */
        SOBOL,
        /** A Latin hypercube (one point per stratum in every coordinate). */
        LATIN_HYPERCUBE
    }

    /** Validates the fields; messages name the field, its allowed range and the value given. */
    public BayesOptions {
        if (initialPoints < 1) {
            throw new IllegalArgumentException("initialPoints must be >= 1, got " + initialPoints);
        }
        Objects.requireNonNull(initialDesign, "initialDesign must not be null");
        if (rawSamples < 16) {
            throw new IllegalArgumentException("rawSamples must be >= 16, got " + rawSamples);
        }
        if (refinedCandidates < 1) {
            throw new IllegalArgumentException("refinedCandidates must be >= 1, got " + refinedCandidates);
        }
        if (fitStarts < 1) {
            throw new IllegalArgumentException("fitStarts must be >= 1, got " + fitStarts);
        }
    }

    /**
     * @param dimensions number of coordinates {@code d >= 1}
     * @return the defaults for a {@code d}-dimensional space
     */
    public static BayesOptions defaults(int dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
        return new BayesOptions(Math.max(5, 2 * dimensions), InitialDesign.SOBOL, 1024, 5, 1);
    }

    /**
     * @param value the new {@code initialPoints}
     * @return a copy with {@code initialPoints} replaced
     */
    public BayesOptions withInitialPoints(int value) {
        return new BayesOptions(value, initialDesign, rawSamples, refinedCandidates, fitStarts);
    }

    /**
     * @param value the new {@code initialDesign}
     * @return a copy with {@code initialDesign} replaced
     */
    public BayesOptions withInitialDesign(InitialDesign value) {
        return new BayesOptions(initialPoints, value, rawSamples, refinedCandidates, fitStarts);
    }

    /**
     * @param value the new {@code rawSamples}
     * @return a copy with {@code rawSamples} replaced
     */
    public BayesOptions withRawSamples(int value) {
        return new BayesOptions(initialPoints, initialDesign, value, refinedCandidates, fitStarts);
    }

    /**
     * @param value the new {@code refinedCandidates}
     * @return a copy with {@code refinedCandidates} replaced
     */
    public BayesOptions withRefinedCandidates(int value) {
        return new BayesOptions(initialPoints, initialDesign, rawSamples, value, fitStarts);
    }

    /**
     * @param value the new {@code fitStarts}
     * @return a copy with {@code fitStarts} replaced
     */
    public BayesOptions withFitStarts(int value) {
        return new BayesOptions(initialPoints, initialDesign, rawSamples, refinedCandidates, value);
    }
}
