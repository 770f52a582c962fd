/**
 * Bayesian optimisation for hyperparameter search, in plain Java on points of the unit cube
 * {@code [0,1]^d} (no ND4J, DL4J or Arbiter here; an adapter connects it to Arbiter).
 *
 * <p>Public surface: {@link io.micromodels.tune.bayes.BayesianOptimizer} (the entry point:
 * {@code propose(trials, q, seed)}), {@link io.micromodels.tune.bayes.Trial} (a point, its score
 * and status), {@link io.micromodels.tune.bayes.Dimension} (how a coordinate is read: continuous,
 * integer or categorical, all encoded in {@code [0,1]}) and
 * {@link io.micromodels.tune.bayes.BayesOptions} (settings); for several objectives
 * {@link io.micromodels.tune.bayes.MultiObjectiveOptimizer} (ParEGO: {@code propose(points, values, pending, q)},
 * each point minimising a random augmented-Chebyshev scalarisation with the single-objective optimiser).
 *
 * <p>Conventions: scores are <b>minimised</b> (negate a metric to maximise it); the optimiser keeps
 * no state between calls that could change a proposal (it remembers its last fit and Cholesky factor
 * only to extend them), every call receives all trials and the search's seed, and all randomness
 * derives from that seed and the trial count; failed trials are imputed as the worst finite score.
 *
 * <p>Inside: scores warped by a Yeo-Johnson power transform chosen by likelihood
 * ({@code OutputWarping}); a Gaussian process with a Matérn 5/2 ARD kernel whose hyperparameters are fitted by
 * maximum a posteriori with an analytic gradient ({@code GpFitter}, {@code BoundedLbfgs}), log
 * expected improvement computed in log space ({@code LogEi}), maximised over valid encodings
 * ({@code AcquisitionOptimizer}), and scrambled Sobol and Latin hypercube designs
 * ({@code Designs}). The Cholesky factor is computed row by row so that it can be extended by new
 * trials; the remaining triangular solves are EJML's or column sweeps. For noisy objectives,
 * {@code BayesianOptimizer.recommend} picks the result by posterior mean.
 */
package io.micromodels.tune.bayes;
