package io.micromodels.tune;

import io.micromodels.train.Objective;
import java.util.List;

/**
 * Proposes points of the unit cube for a study to try: the search-strategy extension point (Optuna's
 * {@code BaseSampler}). A sampler keeps no hidden history: each call receives every trial of the study so far,
 * finished, failed and {@link TrialStatus#RUNNING} (so a batch, or another worker sharing the study, is not proposed
 * the same points again), and the same trials always give the same proposals. A study can therefore be resumed,
 * or shared by several workers, with a fresh sampler.
 *
 * <p>Points have one coordinate per searched hyperparameter of the study's {@code MicromodelSpace}, each in
 * {@code [0,1]}; the space decodes them (through its Arbiter leaves) into specs. Scores are read from the trials
 * with the study's {@link Objective} (a sampler made for a study is given it). Implementations:
 * {@link BayesianSampler} (a Gaussian process, {@code tune.bayes}), {@link RandomSampler}, and
 * {@link ArbiterSampler}, which runs Arbiter's own random, grid or genetic generators.
 *
 * <pre>{@code
 * Sampler corners = (trials, q) -> {          // tries the 2^d corners, then stops
 *     List<double[]> out = new ArrayList<>();
 *     for (int k = trials.size(); k < (1 << d) && out.size() < q; k++) {
 *         double[] p = new double[d];
 *         for (int j = 0; j < d; j++) p[j] = (k >> j) & 1;
 *         out.add(p);
 *     }
 *     return out;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Sampler {

    /**
     * Proposes up to {@code q} points to try together.
     *
     * @param trials every trial of the study so far (finished, failed and running), in number order
     * @param q      number of points wanted, {@code >= 1}
     * @return up to {@code q} points, each shape {@code [d]} with values in {@code [0,1]}; fewer (possibly none)
     *     only when the sampler has no more points to give (a finite grid)
     */
    List<double[]> propose(List<TrialRecord> trials, int q);
}
