package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * How a batch of candidate specs is trained and scored: the study's extension point. The default,
 * {@link #threaded(int)}, trains each candidate as its own network on a pool of threads; an
 * implementation may instead train the whole batch together (for example as one population).
 *
 * <p>A study hands over {@code q} candidates at a time ({@code --batch}), all of them proposed
 * together, and waits for the batch before proposing the next. Every candidate must get exactly one
 * outcome; exceptions inside a candidate's training are outcomes ({@link TrialStatus#FAILED}), not
 * thrown. A complete outcome's network is handed to the study, which keeps the best trial's and releases the others;
 * an executor releases the networks it does not hand over (failed and diverged trials). Call {@code finished} as soon as each candidate is done, from any thread: the study writes
 * the trial to disk at that moment, so a killed run loses only the trials still in flight.
 *
 * <pre>{@code
 * TrialExecutor sequential = (candidates, data, finished) -> {
 *     List<TrialOutcome> out = new ArrayList<>();
 *     for (int i = 0; i < candidates.size(); i++) {
 *         TrialOutcome o = TrialExecutor.train(candidates.get(i), data);
 *         finished.accept(o, i);
 *         out.add(o);
 *     }
 *     return out;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TrialExecutor extends AutoCloseable {

    /**
     * Releases what the executor holds (its threads); a {@link Study} closes the executors it owns. The default holds
     * nothing.
     */
    @Override
    default void close() {
    }

    /**
     * Trains and scores a batch.
     *
     * @param candidates the specs to train, {@code q >= 1} of them
     * @param data       the prepared data: train on {@code train()}, stop early and score on
     *                   {@code validation()} with {@link Objective#forTask}; never look at {@code test()}
     * @param finished   told {@code (outcome, i)} as candidate {@code i} finishes, once per candidate
     * @return one outcome per candidate, in candidate order
     */
    List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData data, ObjIntConsumer<TrialOutcome> finished);

    /**
     * @param threads number of candidates trained at the same time, {@code >= 1}; with 1 they are
     *                trained one after the other on the calling thread
     * @return the default executor: one DL4J network per candidate, built and trained on one thread
     *     (networks are never shared between threads); no {@code System.gc()}, no sleeping
     */
    static TrialExecutor threaded(int threads) {
        return new ThreadedTrialExecutor(threads);
    }

    /**
     * Trains one candidate with early stopping ({@link Trainer}) and scores its best epoch on the
     * validation split. Never throws for a training problem: an exception becomes a
     * {@link TrialStatus#FAILED} outcome naming it, a loss that stops being finite a
     * {@link TrialStatus#DIVERGED} one.
     *
     * @param spec a candidate fitting the data (inputs = feature width, outputs = classes)
     * @param data the prepared data
     * @return the outcome, with the trained network for a complete trial
     */
    static TrialOutcome train(MicromodelSpec spec, PreparedData data) {
        return train(spec, data, null, false);
    }

    /**
     * As {@link #train(MicromodelSpec, PreparedData)}, scored by {@code objective} (null = the task's default) and, when
     * {@code stopOnObjective}, stopping early on it rather than on the validation loss. Per-example weights in the splits' labels masks ({@link io.micromodels.train.ClassWeight}) weight the loss.
     */
    static TrialOutcome train(MicromodelSpec spec, PreparedData data, Objective objective, boolean stopOnObjective) {
        long start = System.nanoTime();
        try {
            io.micromodels.train.TrainingResult r;
            if (objective == null || !stopOnObjective) {
                r = Trainer.fit(spec, data.train(), data.validation());
            } else {
                // early stopping on the chosen metric, as the trial is scored
                java.util.function.ToDoubleFunction<double[][]> f = objective.selection(data.validation(), data.pipeline(), Double.NaN);
                org.nd4j.linalg.api.ndarray.INDArray x = data.validation().getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
                r = Trainer.fitSelecting(spec, data.train(), data.validation(), net -> f.applyAsDouble(
                        net.output(x, false).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix()));
            }
            return outcome(spec, r, data, start, objective);
        } catch (RuntimeException e) {
            return failure(spec, data, e, start, objective);
        }
    }

    /**
     * @param threads   as in {@link #threaded(int)}
     * @param objective what trials are scored by
     * @param stopOnObjective whether trials stop early on it (else on the validation loss)
     * @return {@link #threaded(int)} scoring by {@code objective}
     */
    static TrialExecutor threaded(int threads, Objective objective, boolean stopOnObjective) {
        return new ThreadedTrialExecutor(threads, objective, stopOnObjective);
    }

    /**
     * @param threads   as in {@link #population(int)}
     * @param objective what trials are scored by
     * @param stopOnObjective whether trials stop early on it (else on the validation loss)
     * @return {@link #population(int)} scoring by {@code objective}
     */
    static TrialExecutor population(int threads, Objective objective, boolean stopOnObjective) {
        return new PopulationTrialExecutor(threads, objective, stopOnObjective);
    }

    /**
     * @param threads number of candidates trained at the same time, as in {@link #threaded(int)}
     * @return an executor that trains each batch of candidates as ND4J populations (see
     *     {@link io.micromodels.population.Population}): compatible candidates (same depth, activation, batch size;
     *     widths, rates, L1/L2 and drop rates may differ) share every array op; candidates a population cannot
     *     train (Nesterov, RMSProp, MAE) go through {@link #train} one by one
     */
    static TrialExecutor population(int threads) {
        return new PopulationTrialExecutor(threads);
    }

    /**
     * @param cv   the folds ({@code cv.enabled()})
     * @param seed the study's seed (the folds are shuffled with a seed forked from it)
     * @return an executor that scores every candidate by K-fold cross-validation over the training and validation
     *     rows, training a batch's q x K fold models as population members ({@link CrossValidatedTrialExecutor});
     *     outcomes carry the per-fold scores and no network (the study refits the chosen configuration)
     */
    static TrialExecutor crossValidated(CrossValidation cv, long seed) {
        return new CrossValidatedTrialExecutor(cv, seed);
    }

    /** As {@link #crossValidated(CrossValidation, long)}, scoring each fold by the study's objective. */
    static TrialExecutor crossValidated(CrossValidation cv, long seed, Objective objective) {
        return new CrossValidatedTrialExecutor(cv, seed, objective);
    }

    /**
     * Scores a finished training run on the validation split.
     *
     * @param start {@link System#nanoTime()} when the trial began
     * @return complete, diverged (a loss stopped being finite) or failed (the score is not finite)
     */
    static TrialOutcome outcome(MicromodelSpec spec, TrainingResult r, PreparedData data, long start) {
        return outcome(spec, r, data, start, null);
    }

    /** As {@link #outcome(MicromodelSpec, TrainingResult, PreparedData, long)}, scored by {@code objective} (null = default). */
    static TrialOutcome outcome(MicromodelSpec spec, TrainingResult r, PreparedData data, long start, Objective chosen) {
        Objective objective = chosen != null ? chosen : Objective.forTask(data.task());
        String metric = objective.metricName();
        if (r.stop() == TrainingResult.Stop.DIVERGED) {
            double score = r.bestEpoch() > 0 ? objective.evaluate(r.network(), data.validation(), data.pipeline()) : Double.NaN;
            TrainingResult.release(r.network());
            String why = "a loss became non-finite at epoch " + r.epochsRun()
                    + (r.bestEpoch() > 0 ? " (best finite epoch " + r.bestEpoch() + ")" : "");
            return new TrialOutcome(spec, TrialStatus.DIVERGED, score, metric, r.epochsRun(), r.bestEpoch(),
                    r.seconds(), seconds(start), why, null);
        }
        double score = objective.evaluate(r.network(), data.validation(), data.pipeline());
        if (!Double.isFinite(score)) {
            TrainingResult.release(r.network());
            return new TrialOutcome(spec, TrialStatus.FAILED, Double.NaN, metric, r.epochsRun(), r.bestEpoch(),
                    r.seconds(), seconds(start), "the validation " + metric + " is not finite", null);
        }
        return new TrialOutcome(spec, TrialStatus.COMPLETE, score, metric, r.epochsRun(), r.bestEpoch(),
                r.seconds(), seconds(start), "", r.network());
    }

    /** A failed outcome naming the exception's class and the first line of its message. */
    static TrialOutcome failure(MicromodelSpec spec, PreparedData data, RuntimeException e, long start) {
        return failure(spec, data, e, start, null);
    }

    /** As {@link #failure(MicromodelSpec, PreparedData, RuntimeException, long)} for {@code objective} (null = default). */
    static TrialOutcome failure(MicromodelSpec spec, PreparedData data, RuntimeException e, long start, Objective objective) {
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return TrialOutcome.failed(spec, (objective != null ? objective : Objective.forTask(data.task())).metricName(),
                e.getClass().getSimpleName() + msg, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
