package io.micromodels.tune;

import io.micromodels.train.Objective;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.population.Population;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** {@code tune --cv K}: per-fold scores, their mean and spread, the refit final model, time budgets and errors. */
class CrossValidatedStudyTest {

    @Test
    void eachTrialRecordsItsFoldsAndTheFinalModelIsRefitOnAllNonTestRows(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        Path dir = tmp.resolve("study");
        StudyOptions o = StudyTest.options(csv, GeneratorKind.RANDOM, 4).withCv(CrossValidation.folds(3));
        Study study = Study.create(dir, o).setPopulation(2);
        List<TrialRecord> trials = study.run(StudyTest.QUIET);
        assertEquals(4, trials.size());
        for (TrialRecord t : trials) {
            double[] f = t.foldScores();
            assertEquals(3, f.length, "trial " + t.number());
            if (t.complete()) {
                assertEquals((f[0] + f[1] + f[2]) / 3, t.score(), 1e-12);
                double m = t.score();
                double sd = Math.sqrt(((f[0] - m) * (f[0] - m) + (f[1] - m) * (f[1] - m) + (f[2] - m) * (f[2] - m)) / 2);
                assertEquals(sd, t.scoreSd(), 1e-12);
            }
        }
        // trials.jsonl keeps them exactly
        assertEquals(trials, Study.resume(dir).trials());

        // a fold's score is what training that candidate on the fold's rows alone and scoring its validation fold gives
        TrialRecord best = study.best().orElseThrow();
        CrossValidatedTrialExecutor.CvData d = CrossValidatedTrialExecutor.folds(study.data(), o.cv(), o.seed());
        for (int fold = 0; fold < 3; fold++) {
            int[] rows = d.folds().train(fold);
            DataSet train = new DataSet(d.pool().getFeatures().getRows(rows), d.pool().getLabels().getRows(rows));
            try (PopulationResult alone = Population.fit(List.of(best.spec()), train, d.validation().get(fold),
                    PopulationOptions.defaults(best.spec().seed()).withRecordTrainingLoss(false))) {
                double auc = Objective.AUC.evaluate(alone.member(0).network(), d.validation().get(fold), study.data().pipeline());
                assertEquals(auc, best.foldScores()[fold], 1e-3, "fold " + fold);
            }
        }
        // every row of the pool is validated on once: folds over train + validation, never the test split
        int pooled = study.data().train().numExamples() + study.data().validation().numExamples();
        int validated = 0;
        for (int fold = 0; fold < 3; fold++) {
            validated += d.folds().validation(fold).length;
        }
        assertEquals(pooled, validated);

        try (TrainedModel model = study.saveBest()) {
            assertEquals(Math.max(1, best.bestEpoch()), model.provenance().epochsRun(), "refit for the folds' mean best epoch");
            assertEquals(0, model.spec().patience(), "no early stopping in the refit");
            assertFalse(model.isEnsemble());
            assertTrue(Files.isRegularFile(study.bestModelPath()));
        }
    }

    /**
     * {@code --cv} with {@code --class-weight balanced}: each fold trains and stops on the class-weighted loss, so a
     * fold's score is what training the candidate alone on the fold's weighted rows gives; unweighted training scores
     * differently.
     */
    @Test
    void classWeightsWeighEveryFold(@TempDir Path tmp) throws Exception {
        java.util.Random r = new java.util.Random(5);
        StringBuilder sb = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < 300; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            // about 15% positive
            boolean y = x1 + 0.5 * x2 + 0.7 * r.nextGaussian() > 1.2;
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", x1, x2, r.nextGaussian(), y ? "yes" : "no"));
        }
        Path csv = tmp.resolve("skewed.csv");
        Files.writeString(csv, sb.toString());
        StudyOptions o = StudyTest.options(csv, GeneratorKind.RANDOM, 2).withCv(CrossValidation.folds(3))
                .withQuality(io.micromodels.train.QualityOptions.defaults()
                        .withClassWeight(io.micromodels.train.ClassWeight.BALANCED));
        Study study = Study.create(tmp.resolve("study"), o).setPopulation(2);
        study.run(StudyTest.QUIET);
        TrialRecord best = study.best().orElseThrow(() -> new AssertionError("no trial completed: "
                + study.trials().stream().map(TrialRecord::failure).toList()));
        io.micromodels.data.PreparedData data = study.data();
        double[] cw = io.micromodels.train.ClassWeight.BALANCED.classWeights(data.train().getLabels());
        assertTrue(Math.abs(cw[0] - cw[1]) > 1, "the classes are skewed: weights " + java.util.Arrays.toString(cw));
        io.micromodels.data.PreparedData weighted = new io.micromodels.data.PreparedData(
                io.micromodels.train.ClassWeight.weighted(data.train(), cw),
                io.micromodels.train.ClassWeight.weighted(data.validation(), cw), data.test(), data.pipeline(),
                data.report(), data.sha256(), data.raw(), data.options());
        CrossValidatedTrialExecutor.CvData d = CrossValidatedTrialExecutor.folds(weighted, o.cv(), o.seed());
        boolean differs = false;
        for (int fold = 0; fold < 3; fold++) {
            DataSet train = CrossValidatedTrialExecutor.rows(d.pool(), d.folds().train(fold));
            DataSet validation = CrossValidatedTrialExecutor.rows(d.pool(), d.folds().validation(fold));
            PopulationOptions po = PopulationOptions.defaults(best.spec().seed()).withRecordTrainingLoss(false);
            try (PopulationResult alone = Population.fit(List.of(best.spec()), train, validation, po);
                 PopulationResult plain = Population.fit(List.of(best.spec()), new DataSet(train.getFeatures(),
                         train.getLabels()), new DataSet(validation.getFeatures(), validation.getLabels()), po)) {
                double auc = Objective.AUC.evaluate(alone.member(0).network(), d.validation().get(fold), data.pipeline());
                assertEquals(auc, best.foldScores()[fold], 1e-3, "fold " + fold);
                double unweighted = Objective.AUC.evaluate(plain.member(0).network(), d.validation().get(fold), data.pipeline());
                differs |= Math.abs(unweighted - auc) > 1e-3 || plain.member(0).bestEpoch() != alone.member(0).bestEpoch();
            }
        }
        assertTrue(differs, "weighted and unweighted fold training gave the same scores and epochs");
    }

    @Test
    void aTimeBudgetStopsAfterTheBatchInFlightAndResumeContinues(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 3);
        Path dir = tmp.resolve("study");
        Study study = Study.create(dir, StudyTest.options(csv, GeneratorKind.RANDOM, 6).withExecution(1, 2))
                .setExecutor(StudyTest.FAKE).setTimeBudget(Duration.ofNanos(1));
        List<String> notes = new ArrayList<>();
        // the budget is checked before each batch: the first batch always runs, then the (tiny) budget is spent
        List<TrialRecord> first = study.run(new StudyListener() {
            @Override
            public void onTrial(TrialRecord trial, List<TrialRecord> all) {
            }

            @Override
            public void onNote(String note) {
                notes.add(note);
            }
        });
        assertTrue(first.isEmpty() || first.size() == 2, "stopped between batches, got " + first.size());
        assertTrue(study.budgetReached());
        assertTrue(notes.get(0).contains("time budget") && notes.get(0).contains("resume"), notes.get(0));
        Study resumed = Study.resume(dir).setExecutor(StudyTest.FAKE);
        List<TrialRecord> all = resumed.run(StudyTest.QUIET);
        assertEquals(6, all.size());
        assertFalse(resumed.budgetReached());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, all.get(i).number());
        }
        assertThrows(IllegalArgumentException.class, () -> resumed.setTimeBudget(Duration.ZERO));
    }

    @Test
    void badFoldSettingsAreRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 60, 4);
        StudyOptions o = StudyTest.options(csv, GeneratorKind.RANDOM, 2);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Study.create(tmp.resolve("a"), o.withCv(CrossValidation.folds(40))));
        assertTrue(big.getMessage().startsWith("cv 40 is larger than the smallest class: '"), big.getMessage());
        assertFalse(Files.exists(tmp.resolve("a")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Study.create(tmp.resolve("b"), o.withCv(CrossValidation.folds(3).withGroupColumn("patient"))));
        assertEquals("group column 'patient' is not a column of the data; columns: x1, x2, x3, c, y", missing.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> Study.create(tmp.resolve("c"), o.withCv(CrossValidation.folds(4).withGroupColumn("c"))));
        assertTrue(groups.getMessage().contains("needs at least 4 groups"), groups.getMessage());
        assertEquals("cv must be 0 (off) or in [2, 100] folds, got 1",
                assertThrows(IllegalArgumentException.class, () -> CrossValidation.folds(1)).getMessage());
        assertEquals("ensemble must be in [1, 64], got 0",
                assertThrows(IllegalArgumentException.class, () -> o.withEnsemble(0)).getMessage());
        assertArrayEquals(new double[0], new TrialRecord("x-1", 1, new double[] {0.5}, o.space() == null ? null
                : io.micromodels.spec.Micromodel.classifier(2).input(3).build(), 1, 0.5, "auc", 1, 1, 0, 0,
                TrialStatus.COMPLETE, "").foldScores());
    }
}
