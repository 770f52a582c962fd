/**
 * Micromodel tuning inside Arbiter: {@link io.micromodels.tune.arbiter.BayesianCandidateGenerator}, an
 * Arbiter {@code CandidateGenerator} over any {@code ParameterSpace} backed by the plain-Java Bayesian
 * optimiser of {@code io.micromodels.tune.bayes}, and
 * {@link io.micromodels.tune.arbiter.MicromodelTaskCreator}, which trains {@code MicromodelSpec}
 * candidates in Arbiter's runners without Arbiter's per-task {@code System.gc()} and sleep and reports
 * failed tasks to the generator.
 *
 * <p>Most users want {@link io.micromodels.tune.Study}, which runs its own trial loop with the same optimiser
 * ({@link io.micromodels.tune.BayesianSampler}) or Arbiter's generators ({@link io.micromodels.tune.ArbiterSampler})
 * and never goes through this package: it depends on {@code io.micromodels.tune}, not the reverse.
 */
package io.micromodels.tune.arbiter;
