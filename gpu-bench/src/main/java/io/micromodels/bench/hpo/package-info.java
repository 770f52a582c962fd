/**
 * Hyperparameter-search benchmarks: {@link io.micromodels.bench.hpo.HpoBenchmark} (regret of the Bayesian
 * optimiser on Branin and Hartmann6 against random search and Optuna's TPE) and
 * {@link io.micromodels.bench.hpo.TuneBenchmark} (a study's per-trial overhead outside the fit, and the best
 * validation AUC of 30 trials on German credit, Bayesian against random). Each prints its headline figure last.
 */
package io.micromodels.bench.hpo;
