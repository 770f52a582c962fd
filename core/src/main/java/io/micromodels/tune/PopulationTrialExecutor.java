package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.data.PreparedData;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationGroup;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * {@link TrialExecutor#population(int)}: a batch of candidates is split into populations of compatible specs
 * ({@link Population#groups}), each trained in one batched ND4J pass; unsupported candidates fall back to one
 * network each. Groups run one after another (a population already keeps one core busy with K times the work of a
 * single micromodel), except that with {@code threads > 1} the one-by-one fallbacks use a thread pool.
 */
final class PopulationTrialExecutor implements TrialExecutor {
    private final TrialExecutor fallback;
    /** What trials are scored by; null = the task's default. */
    private final Objective objective;

    /** Whether trials stop early on {@link #objective} rather than on the validation loss. */
    private final boolean stopOnObjective;

    PopulationTrialExecutor(int threads) {
        this(threads, null, false);
    }

    PopulationTrialExecutor(int threads, Objective objective, boolean stopOnObjective) {
        this.fallback = new ThreadedTrialExecutor(threads, objective, stopOnObjective);
        this.objective = objective;
        this.stopOnObjective = stopOnObjective && objective != null;
    }

    /** Closes the one-by-one fallback's threads. */
    @Override
    public void close() {
        fallback.close();
    }

    @Override
    public List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData data, ObjIntConsumer<TrialOutcome> finished) {
        TrialOutcome[] out = new TrialOutcome[candidates.size()];
        List<Integer> alone = new ArrayList<>();
        List<Integer> batched = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            (Population.supports(candidates.get(i)) ? batched : alone).add(i);
        }
        List<MicromodelSpec> specs = batched.stream().map(candidates::get).toList();
        for (PopulationGroup g : Population.groups(specs)) {
            long start = System.nanoTime();
            List<MicromodelSpec> members = g.specs();
            int[] at = g.indices().stream().mapToInt(j -> batched.get(j)).toArray();
            try {
                PopulationResult r = Population.fit(members, data.train(), data.validation(),
                        PopulationOptions.defaults(members.get(0).seed()), null,
                        stopOnObjective ? objective.selection(data.validation(), data.pipeline(), Double.NaN) : null);
                for (int m = 0; m < members.size(); m++) {
                    TrialOutcome o = TrialExecutor.outcome(members.get(m), r.member(m), data, start, objective);
                    out[at[m]] = o;
                    finished.accept(o, at[m]);
                }
            } catch (RuntimeException e) {
                for (int m = 0; m < members.size(); m++) {
                    TrialOutcome o = TrialExecutor.failure(members.get(m), data, e, start, objective);
                    out[at[m]] = o;
                    finished.accept(o, at[m]);
                }
            }
        }
        if (!alone.isEmpty()) {
            List<TrialOutcome> rest = fallback.run(alone.stream().map(candidates::get).toList(), data,
                    (o, j) -> finished.accept(o, alone.get(j)));
            for (int j = 0; j < alone.size(); j++) {
                out[alone.get(j)] = rest.get(j);
            }
        }
        return Arrays.asList(out);
    }
}
