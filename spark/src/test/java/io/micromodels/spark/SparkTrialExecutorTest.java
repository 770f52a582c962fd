package io.micromodels.spark;

import static io.micromodels.spark.SparkStudies.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.PipelineJson;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.Study;
import io.micromodels.tune.TrialOutcome;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark trial executor on {@code local[2]}: the same study as a plain local run, recorded as each trial ends. */
class SparkTrialExecutorTest {

    @Test
    void broadcastDataRebuildsTheTrainingAndValidationSplitsAndNotTheTest(@TempDir Path tmp) throws Exception {
        PreparedData d = TuneData.binary(tmp, 200, 3);
        TrialData sent = TrialData.of(d, "test-" + System.nanoTime());
        PreparedData back = sent.data();
        assertEquals(d.train().getFeatures(), back.train().getFeatures());
        assertEquals(d.train().getLabels(), back.train().getLabels());
        assertEquals(d.validation().getFeatures(), back.validation().getFeatures());
        assertEquals(d.validation().getLabels(), back.validation().getLabels());
        assertEquals(PipelineJson.toJson(d.pipeline()), PipelineJson.toJson(back.pipeline()));
        assertEquals(TrialData.sent(d.report()), back.report());
        assertEquals(d.report().task(), back.report().task());
        assertEquals(d.sha256(), back.sha256());
        assertTrue(back.test().isEmpty(), "the test split is not sent");
        assertTrue(back == sent.data(), "rebuilt once per JVM");
    }

    /**
     * A seeded random search on local[2] gives the trials of a plain local run with two threads: same points, specs,
     * scores; the best model carries the parameters trained on the executor (equal to the local run's best network).
     */
    @Test
    void localSparkStudyEqualsThePlainLocalStudy(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 5);
        List<TrialRecord> local;
        double[] localBest;
        try (Study study = Study.create(tmp.resolve("local"), SparkStudies.random(csv, 6))) {
            local = study.run(QUIET);
            try (TrainedModel best = study.saveBest()) {
                localBest = best.network().params().toDoubleVector();
            }
        }
        List<TrialRecord> told = Collections.synchronizedList(new ArrayList<>());
        try (Study study = Study.create(tmp.resolve("spark"), SparkStudies.random(csv, 6))) {
            study.setExecutor(SparkTrialExecutor.start(new SparkMaster("local[2]"), study.objective(), false, false));
            List<TrialRecord> spark = study.run((t, all) -> told.add(t));
            SparkStudies.assertSameTrials(local, spark);
            assertEquals(spark.stream().map(TrialRecord::number).toList(), told.stream().map(TrialRecord::number).sorted().toList(),
                    "the listener saw each trial once");
            try (TrainedModel best = study.saveBest()) {
                assertEquals(study.best().orElseThrow().spec(), best.spec());
                assertEquals(java.util.Arrays.toString(localBest), java.util.Arrays.toString(best.network().params().toDoubleVector()),
                        "the network trained on the executor, not retrained");
            }
            assertTrue(Files.exists(study.bestModelPath()));
        }
    }

    /** A short and a long trial in one batch: the short one is handed to the study while the long one's job still runs. */
    @Test
    void eachTrialIsHandedOverWhenItsJobEndsNotAtTheEndOfTheBatch(@TempDir Path tmp) throws Exception {
        PreparedData d = TuneData.binary(tmp, 1000, 4);
        MicromodelSpec shortOne = io.micromodels.spec.Micromodel.classifier(2).input(d.pipeline().width())
                .dense(4, io.micromodels.frozen.Activation.RELU).seed(1).build();
        MicromodelSpec longOne = shortOne;
        shortOne = withEpochs(shortOne, 1);
        longOne = withEpochs(longOne, 25);
        try (SparkTrialExecutor spark = SparkTrialExecutor.start(new SparkMaster("local[2]"),
                io.micromodels.train.Objective.forTask(d.task()), false, false)) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            List<TrialOutcome> out = spark.run(List.of(longOne, shortOne), d, (o, i) -> {
                // the status tracker lags the jobs by the listener bus's delay (milliseconds): the long job runs seconds more
                boolean active = spark.context().statusTracker().getActiveJobIds().length > 0;
                seen.add(i + ":" + (i == 1 ? active : "-"));
            });
            assertEquals(2, out.size());
            assertEquals(List.of("1:true", "0:-"), seen, "the short trial first, while the long trial's job was active");
            assertEquals(1, out.get(1).epochs());
            assertTrue(out.get(0).epochs() > 1, "the long trial ran more epochs: " + out.get(0).epochs());
            assertNotNull(out.get(0).network());
            out.forEach(o -> io.micromodels.train.TrainingResult.release(o.network()));
        }
    }

    private static MicromodelSpec withEpochs(MicromodelSpec s, int epochs) {
        return new MicromodelSpec(s.inputs(), s.hidden(), s.output(), s.outputs(), s.loss(), s.updater(), s.l1(), s.l2(),
                s.seed(), epochs, s.batchSize(), 0);
    }

    @Test
    void aTrainingErrorOnAnExecutorIsAFailedTrial(@TempDir Path tmp) throws Exception {
        PreparedData d = TuneData.binary(tmp, 200, 4);
        MicromodelSpec s = io.micromodels.spec.Micromodel.classifier(2).input(d.pipeline().width())
                .dense(4, io.micromodels.frozen.Activation.RELU).seed(1).build();
        try (SparkTrialExecutor spark = SparkTrialExecutor.start(new SparkMaster("local[1]"),
                io.micromodels.train.Objective.forTask(d.task()), false, false)) {
            // a spec that does not fit the data fails inside training: a FAILED outcome from the executor itself
            MicromodelSpec wrong = withInputs(s, d.pipeline().width() + 3);
            List<TrialOutcome> out = spark.run(List.of(wrong), d, (o, i) -> { });
            assertEquals(io.micromodels.tune.TrialStatus.FAILED, out.get(0).status());
            assertTrue(out.get(0).failure().contains("IllegalArgumentException"), out.get(0).failure());
        }
    }

    @Test
    void executorsGetTheDriversClassPathWithAbsoluteEntries() {
        String sep = java.io.File.pathSeparator;
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/target/classes" + sep + "/opt/x.jar", SparkTrialExecutor.absolute("target/classes" + sep + sep + "/opt/x.jar"));
    }

    private static MicromodelSpec withInputs(MicromodelSpec s, int inputs) {
        return new MicromodelSpec(inputs, s.hidden(), s.output(), s.outputs(), s.loss(), s.updater(), s.l1(), s.l2(),
                s.seed(), s.epochs(), s.batchSize(), s.patience());
    }
}
