/**
 * Hyperparameter search for micromodels. The entry point is {@link io.micromodels.tune.Study}: a search
 * kept in a folder ({@code study.json}, {@code trials.jsonl}, {@code best-model.zip}) that can be killed and
 * resumed. The other public types are what it takes and gives: {@link io.micromodels.tune.StudyOptions},
 * {@link io.micromodels.tune.GeneratorKind}, {@link io.micromodels.tune.TrialRecord},
 * {@link io.micromodels.tune.TrialStatus}, {@link io.micromodels.train.Objective},
 * {@link io.micromodels.tune.StudyListener}, and the extension point for training a batch of candidates,
 * {@link io.micromodels.tune.TrialExecutor} with its {@link io.micromodels.tune.TrialOutcome}.
 *
 * <p>Subpackages: {@code space} (the search space), {@code arbiter} (the Bayesian generator for Arbiter and a
 * task creator for Arbiter's runners), {@code bayes} (the optimiser itself, plain Java).
 */
package io.micromodels.tune;
