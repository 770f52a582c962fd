package io.micromodels.spark;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Objective;
import io.micromodels.train.TrainingResult;
import io.micromodels.tune.TrialExecutor;
import io.micromodels.tune.TrialOutcome;
import io.micromodels.tune.TrialStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Spark task of a tuning study: the candidates it trains (one, or a batch trained as one population), with what
 * they are scored by. {@link Train} runs it on an executor against the broadcast {@link TrialData}; each candidate
 * comes back as a {@link Result}.
 */
final class TrialTask implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<MicromodelSpec> specs;
    final Objective objective;
    final boolean stopOnObjective;
    final boolean population;

    TrialTask(List<MicromodelSpec> specs, Objective objective, boolean stopOnObjective, boolean population) {
        this.specs = List.copyOf(specs);
        this.objective = objective;
        this.stopOnObjective = stopOnObjective;
        this.population = population;
    }

    /** The Spark function: trains a task's candidates on this executor, one thread, as a local study would. */
    static final class Train implements Function<TrialTask, List<Result>> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<TrialData> data;

        Train(Broadcast<TrialData> data) {
            this.data = data;
        }

        @Override
        public List<Result> call(TrialTask task) {
            PreparedData d = data.getValue().data();
            String executor = SparkEnv.get() != null ? SparkEnv.get().executorId() : "";
            List<Result> out = new ArrayList<>(task.specs.size());
            try (TrialExecutor local = task.population
                    ? TrialExecutor.population(1, task.objective, task.stopOnObjective)
                    : TrialExecutor.threaded(1, task.objective, task.stopOnObjective)) {
                for (TrialOutcome o : local.run(task.specs, d, (o, i) -> { })) {
                    out.add(Result.of(o, executor));
                }
            }
            return out;
        }
    }

    /**
     * A trial's outcome as it travels back to the driver: the outcome's fields, and for a complete trial the trained
     * network's parameters (ND4J's binary form of the flat {@code [1, n]} parameter vector).
     */
    static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;
        final TrialStatus status;
        final double score;
        final String metric;
        final int epochs;
        final int bestEpoch;
        final double fitSeconds;
        final double seconds;
        final String failure;
        final double[] foldScores;
        final byte[] params;
        /** The Spark executor that trained it. */
        final String executor;

        private Result(TrialOutcome o, byte[] params, String executor) {
            this.status = o.status();
            this.score = o.score();
            this.metric = o.metric();
            this.epochs = o.epochs();
            this.bestEpoch = o.bestEpoch();
            this.fitSeconds = o.fitSeconds();
            this.seconds = o.seconds();
            this.failure = o.failure();
            this.foldScores = o.foldScores();
            this.params = params;
            this.executor = executor;
        }

        /** Copies the outcome and releases its network (the parameters travel instead). */
        static Result of(TrialOutcome o, String executor) {
            byte[] params = null;
            if (o.network() != null) {
                try {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream out = new DataOutputStream(bytes)) {
                        Nd4j.write(o.network().params(), out);
                    }
                    params = bytes.toByteArray();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    TrainingResult.release(o.network());
                }
            }
            return new Result(o, params, executor);
        }

        /** The outcome on the driver, with a network rebuilt from {@code spec} and the trained parameters. */
        TrialOutcome toOutcome(MicromodelSpec spec) {
            MultiLayerNetwork net = null;
            if (params != null) {
                net = new MultiLayerNetwork(spec.toConfiguration());
                net.init();
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
                    INDArray p = Nd4j.read(in);
                    net.setParams(p.castTo(net.params().dataType()));
                } catch (IOException e) {
                    TrainingResult.release(net);
                    throw new UncheckedIOException(e);
                }
            }
            return new TrialOutcome(spec, status, score, metric, epochs, bestEpoch, fitSeconds, seconds, failure, net,
                    foldScores);
        }
    }
}
