package io.micromodels.tune;

import io.micromodels.train.Objective;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micromodels.tune.space.MicromodelSpace;
import java.util.Arrays;
import java.util.Locale;

/**
 * The generators a study can use ({@code tune --generator}), each made into a {@link Sampler} over the
 * {@code MicromodelSpace} by {@link #sampler}: {@link #BAYES} is the {@link BayesianSampler}; the others are
 * Arbiter's own generators run by an {@link ArbiterSampler}.
 *
 * <p>How each continues a resumed study without repeating a trial: every sampler is given every trial, so none
 * needs state. {@link #BAYES} proposes as if it had never stopped; {@link #RANDOM} and {@link #GRID} are
 * deterministic sequences (random seeded with the sampler's seed, grid in sequential order), replayed from the
 * start skipping every point already recorded, so a proposal lost in flight runs first; {@link #GENETIC} is told
 * every earlier trial (its population is rebuilt from them) and its random sources are re-seeded from the seed and
 * the trial count, so it may repeat a point, as it may in any run.
 */
public enum GeneratorKind {
    /** {@link BayesianSampler}: a Gaussian process with log expected improvement. */
    @JsonProperty("bayes") BAYES,
    /** Arbiter's {@code RandomSearchGenerator}, seeded. */
    @JsonProperty("random") RANDOM,
    /** Arbiter's {@code GridSearchCandidateGenerator}, sequential, 3 values per continuous coordinate. */
    @JsonProperty("grid") GRID,
    /** Arbiter's {@code GeneticSearchCandidateGenerator} with seeded selection, crossover and mutation. */
    @JsonProperty("genetic") GENETIC;

    /**
     * @param space     the study's space
     * @param objective what the trials' scores mean
     * @param seed      the sampler's seed (a study forks it from its own: {@code Seeds.fork(seed, Seeds.SAMPLER)})
     * @return this generator as a sampler over {@code space}
     */
    public Sampler sampler(MicromodelSpace space, Objective objective, long seed) {
        return switch (this) {
            case BAYES -> new BayesianSampler(space.dimensions(), objective, seed);
            case RANDOM -> ArbiterSampler.random(space, seed);
            case GRID -> ArbiterSampler.grid(space);
            case GENETIC -> ArbiterSampler.genetic(space, objective, seed);
        };
    }

    /** @return the name used in JSON and on the command line, e.g. {@code bayes} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code bayes}, {@code random}, {@code grid} or {@code genetic}
     * @return the generator kind
     */
    public static GeneratorKind parse(String name) {
        for (GeneratorKind g : values()) {
            if (g.label().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("generator must be one of " + Arrays.stream(values()).map(GeneratorKind::label)
                .toList() + ", got '" + name + "'");
    }
}
