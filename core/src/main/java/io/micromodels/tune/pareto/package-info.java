/**
 * Multi-objective maths in plain Java (no ND4J, DL4J or Arbiter here): Pareto-front filtering and
 * maintenance ({@link io.micromodels.tune.pareto.ParetoFront}) and exact dominated hypervolume
 * ({@link io.micromodels.tune.pareto.Hypervolume}).
 *
 * <p>Conventions: every objective is <b>minimised</b> (negate a metric such as AUC to maximise it);
 * a set of points is a {@code double[n][m]} array, one row per point, one column per objective.
 */
package io.micromodels.tune.pareto;
