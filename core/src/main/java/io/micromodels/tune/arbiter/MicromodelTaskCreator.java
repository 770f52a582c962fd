package io.micromodels.tune.arbiter;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Objective;
import io.micromodels.tune.TrialExecutor;
import io.micromodels.tune.TrialOutcome;
import io.micromodels.tune.TrialStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Trains {@code MicromodelSpec} candidates inside Arbiter's own runners ({@code LocalOptimizationRunner}),
 * in place of Arbiter's {@code MultiLayerNetworkTaskCreator}, which ends every task with
 * {@code System.gc()} and a two-second sleep (longer than most micromodels take to train) and whose failed
 * tasks the runner never reports to the generator.
 *
 * <p>Each task trains with early stopping and scores on the validation split exactly as a study does
 * ({@link TrialExecutor#train}); the result's score is the {@link Objective}'s loss (lower is better: use
 * {@link #scoreFunction()} in the configuration). A failed or diverged candidate gets a null score and status
 * {@code Failed}, and is reported to the configuration's generator by the task itself.
 *
 * <pre>{@code
 * MicromodelTaskCreator tasks = new MicromodelTaskCreator(data);
 * MicromodelSpace space = new MicromodelSpace(SpaceConfig.defaults(), data.task(), data.pipeline().width(), 100, 10, 42L);
 * BayesianCandidateGenerator generator = new BayesianCandidateGenerator(space, tasks.scoreFunction(), 42L);
 * OptimizationConfiguration config = new OptimizationConfiguration.Builder()
 *         .candidateGenerator(generator).dataProvider(tasks.dataProvider()).scoreFunction(tasks.scoreFunction())
 *         .terminationConditions(new MaxCandidatesCondition(20)).build();
 * new LocalOptimizationRunner(1, config, tasks).execute();
 * }</pre>
 */
public final class MicromodelTaskCreator implements TaskCreator {
    private final PreparedData data;
    private final Objective objective;

    /** @param data the prepared data every candidate trains on */
    public MicromodelTaskCreator(PreparedData data) {
        this.data = Objects.requireNonNull(data, "data must not be null");
        this.objective = Objective.forTask(data.task());
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> call(candidate, statusListeners, runner);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> call(candidate, statusListeners, runner);
    }

    private OptimizationResult call(Candidate candidate, List<StatusListener> listeners, IOptimizationRunner runner) {
        long start = System.currentTimeMillis();
        TrialOutcome o;
        if (candidate.getValue() instanceof MicromodelSpec spec) {
            o = TrialExecutor.train(spec, data);
        } else {
            o = null;
        }
        boolean ok = o != null && o.status() == TrialStatus.COMPLETE;
        Double score = ok ? objective.loss(o.score()) : null;
        String failure = o == null ? "candidate value is not a MicromodelSpec: " + candidate.getValue() : o.failure();
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), ok ? CandidateStatus.Complete : CandidateStatus.Failed,
                score, start, start, System.currentTimeMillis(), candidate.getFlatParameters(), ok ? null : failure);
        OptimizationResult result = new OptimizationResult(candidate, score, candidate.getIndex(), o == null ? null : o.withoutNetwork(),
                info, null);
        if (!ok && runner != null) {
            // the runner reports only successes to the generator
            runner.getConfiguration().getCandidateGenerator().reportResults(result);
        }
        if (listeners != null) {
            for (StatusListener l : listeners) {
                l.onCandidateStatusChange(info, runner, result);
            }
        }
        return result;
    }

    /** @return a score function that says lower is better (tasks score themselves; its score methods are not used) */
    public ScoreFunction scoreFunction() {
        return new LossScore();
    }

    /** @return a data provider handing out the prepared data (tasks use it directly) */
    public DataProvider dataProvider() {
        return new PreparedDataProvider(data);
    }

    /** Lower is better; scoring is done by the task. */
    private static final class LossScore implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("MicromodelTaskCreator scores its own tasks");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
            throw new UnsupportedOperationException("MicromodelTaskCreator scores its own tasks");
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of(MicromodelSpec.class);
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(PreparedData.class);
        }
    }

    /** Hands out the prepared data. */
    private static final class PreparedDataProvider implements DataProvider {
        private final transient PreparedData data;

        PreparedDataProvider(PreparedData data) {
            this.data = data;
        }

        @Override
        public Object trainData(Map<String, Object> dataParameters) {
            return data;
        }

        @Override
        public Object testData(Map<String, Object> dataParameters) {
            return data;
        }

        @Override
        public Class<?> getDataType() {
            return PreparedData.class;
        }
    }
}
