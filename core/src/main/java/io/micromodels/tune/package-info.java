/**
 * Hyperparameter search for micromodels. The entry point is {@link io.micromodels.tune.Study}, which runs the loop
 * over three parts kept apart (as Optuna's study, sampler and storage):
 * <ul>
 *   <li>a {@link io.micromodels.tune.Sampler} proposes points of the unit cube given every trial so far
 *       ({@link io.micromodels.tune.BayesianSampler}, {@link io.micromodels.tune.RandomSampler},
 *       {@link io.micromodels.tune.ArbiterSampler} for Arbiter's own generators; {@link io.micromodels.tune.GeneratorKind}
 *       names the ones {@code tune --generator} offers);</li>
 *   <li>a {@link io.micromodels.tune.Storage} claims trial numbers and records trials
 *       ({@link io.micromodels.tune.JournalStorage}: {@code study.json}, {@code trials.jsonl}, a lock);</li>
 *   <li>a {@link io.micromodels.tune.TrialExecutor} trains and scores a batch, giving one
 *       {@link io.micromodels.tune.TrialOutcome} per candidate.</li>
 * </ul>
 * A trial is one {@link io.micromodels.tune.TrialRecord} from claim ({@link io.micromodels.tune.TrialStatus#RUNNING})
 * to record. The other public types are what a study takes and gives: {@link io.micromodels.tune.StudyOptions},
 * {@link io.micromodels.tune.StudyHeader}, {@link io.micromodels.tune.StudyListener},
 * {@link io.micromodels.train.Objective}.
 *
 * <p>Subpackages: {@code space} (the search space, Arbiter leaves), {@code bayes} (the optimiser itself, plain
 * Java), {@code arbiter} (for Arbiter users: the optimiser as an Arbiter generator and training inside Arbiter's
 * runners; it depends on this package, never the reverse).
 */
package io.micromodels.tune;
