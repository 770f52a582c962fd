package io.micromodels.tune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;

/**
 * The candidate generators a study can use, all Arbiter {@code CandidateGenerator}s over the
 * {@code MicromodelSpace}.
 *
 * <p>How each continues a resumed study without repeating a trial: {@link #BAYES} is told every
 * earlier trial and is stateless, so it proposes as if it had never stopped; {@link #RANDOM} and
 * {@link #GRID} are deterministic sequences (random seeded with the study's seed, grid in
 * sequential order), so the study draws again from the start and discards every candidate already
 * recorded (matched by point), keeping any drawn-but-lost candidate of the interrupted batch to run
 * first; {@link #GENETIC} is told every earlier trial (its population is rebuilt from them) and its
 * random sources are re-seeded from the seed and the trial count, so it may repeat a point, as it
 * may in any run.
 */
public enum GeneratorKind {
    /** {@code io.micromodels.tune.arbiter.BayesianCandidateGenerator}: a Gaussian process with log expected improvement. */
    @JsonProperty("bayes") BAYES,
    /** Arbiter's {@code RandomSearchGenerator}, seeded. */
    @JsonProperty("random") RANDOM,
    /** Arbiter's {@code GridSearchCandidateGenerator}, sequential, 3 values per continuous coordinate. */
    @JsonProperty("grid") GRID,
    /** Arbiter's {@code GeneticSearchCandidateGenerator} with seeded selection, crossover and mutation. */
    @JsonProperty("genetic") GENETIC;

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
