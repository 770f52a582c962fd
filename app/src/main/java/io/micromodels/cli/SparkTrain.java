package io.micromodels.cli;

import io.micromodels.spark.SparkMaster;
import io.micromodels.spark.train.SparkTrainOptions;
import io.micromodels.spark.train.SparkTraining;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code train --spark MASTER}: the flag's checks (before any data is read) and the training on Spark, printed as
 * {@link TrainCommand#trainAndReport} prints a local training. The Spark application is started here and stopped when
 * the training ends.
 */
final class SparkTrain {
    private SparkTrain() {
    }

    /**
     * Checks {@code --spark} and the flags it cannot go with.
     *
     * @return the master
     * @throws CliException naming the flag and the value
     */
    static SparkMaster check(String spark, TrainCommand.Source source, Integer ensemble, QualityOptions quality) {
        SparkMaster master;
        try {
            master = new SparkMaster(spark);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (source.data == null) {
            throw new CliException("--spark reads the CSV on the executors: give it as --data FILE.csv, got --dataset "
                    + source.dataset);
        }
        if (ensemble != null && ensemble > 1) {
            throw new CliException("--spark trains one network: leave out --ensemble or use --ensemble 1, got " + ensemble);
        }
        if (quality.classWeight() != ClassWeight.NONE) {
            throw new CliException("--class-weight is not supported with --spark (per-example loss weights need the local "
                    + "trainer), got " + quality.classWeight().flagName());
        }
        return master;
    }

    /** Trains on Spark and prints what {@code train} prints for a local training. */
    static TrainedModel train(PrintWriter o, PrintWriter err, SparkMaster master, Path csv, TrainCommand.Prepared p,
                              MicromodelSpec spec, boolean quiet, QualityOptions quality) {
        SparkTrainOptions options = SparkTrainOptions.defaults();
        try (var sc = SparkTraining.context(master, java.util.Map.of())) {
            o.println("training " + spec.shape() + " (" + spec.parameterCount() + " parameters) on Spark " + master.url()
                    + " (" + sc.defaultParallelism() + " task slots, parameter averaging every " + options.averagingFrequency()
                    + " minibatches of " + spec.batchSize() + "), up to " + spec.epochs() + " epochs, patience " + spec.patience()
                    + (quality.metricChosen() ? ", early stopping on validation " + quality.metric() : ""));
            EpochProgress progress = new EpochProgress(err, spec.epochs());
            TrainedModel model = SparkTraining.train(sc, csv, p.data(), spec, p.source(), quality, options, line -> {
                if (!quiet) {
                    err.println(line);
                    err.flush();
                }
            }, report -> {
                if (!quiet && (report.epoch() == 1 || report.epoch() % 10 == 0 || report.improved() && report.epoch() < 10)) {
                    o.println("  " + report.line());
                    o.flush();
                }
                if (!quiet) {
                    progress.onEpoch(report);
                }
            });
            var prov = model.provenance();
            o.printf(Locale.ROOT, "stopped after %d epochs, best epoch %d, %.1f s (%.0f training rows/s on Spark)%n",
                    prov.epochsRun(), prov.bestEpoch(), prov.trainingSeconds(),
                    (double) p.data().train().numExamples() * prov.epochsRun() / prov.trainingSeconds());
            if (model.decision() != null && !model.decision().isStandard()) {
                var d = model.decision();
                o.printf(Locale.ROOT, "decision (fitted on validation): threshold %.4f on p(%s)%s%n", d.threshold(),
                        p.data().task().classes().get(d.positive()),
                        d.calibrated() ? String.format(Locale.ROOT, ", Platt calibration slope %.4f intercept %.4f",
                                d.slope(), d.intercept()) : "");
            }
            o.println("test metrics (" + p.data().test().numExamples() + " rows):");
            o.print(model.testMetrics().table());
            return model;
        }
    }
}
