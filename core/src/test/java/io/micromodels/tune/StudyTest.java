package io.micromodels.tune;

import io.micromodels.train.Objective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.space.IntRange;
import io.micromodels.tune.space.Range;
import io.micromodels.tune.space.SpaceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTest {
    static final SpaceConfig SMALL = new SpaceConfig(new IntRange(1, 2, false), new IntRange(4, 16, true),
            SpaceConfig.defaults().activations(), SpaceConfig.defaults().dropRate(), SpaceConfig.defaults().l1(),
            SpaceConfig.defaults().l2(), new Range(1e-3, 1e-1, true), List.of(32, 64));

    /** A fake executor: no training, an AUC made up from the learning rate (best at the lowest); fails when lr > 10^-2.5 (half the log range). */
    static final TrialExecutor FAKE = (candidates, data, finished) -> {
        List<TrialOutcome> out = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            MicromodelSpec s = candidates.get(i);
            double lr = s.updater().learningRate();
            TrialOutcome o = lr > Math.pow(10, -2.5)
                    ? new TrialOutcome(s, TrialStatus.DIVERGED, Double.NaN, "auc", 3, 0, 0.01, 0.01, "diverged", null)
                    : new TrialOutcome(s, TrialStatus.COMPLETE, 0.8 - 0.1 * (Math.log10(lr) + 3), "auc", 5, 4, 0.01, 0.01, "", null);
            finished.accept(o, i);
            out.add(o);
        }
        return out;
    };

    static StudyOptions options(Path csv, GeneratorKind g, int trials) {
        return StudyOptions.forCsv(csv.toString(), "y").withGenerator(g).withTrials(trials).withEpochs(3, 2).withSpace(SMALL)
                .withSeed(9);
    }

    static final StudyListener QUIET = (t, all) -> { };

    @Test
    void parallelRunnerGivesAllTrialsWithUniqueIdsAndSavesTheBest(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        Path dir = tmp.resolve("study");
        Study study = Study.create(dir, options(csv, GeneratorKind.BAYES, 6).withExecution(2, 3));
        AtomicInteger calls = new AtomicInteger();
        List<TrialRecord> trials = study.run((t, all) -> {
            calls.incrementAndGet();
            assertTrue(all.contains(t));
            assertTrue(all.stream().allMatch(TrialRecord::finished));
        });
        assertEquals(6, trials.size());
        assertEquals(6, calls.get());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < trials.size(); i++) {
            assertEquals(i + 1, trials.get(i).number());
            assertTrue(ids.add(trials.get(i).id()));
            assertTrue(trials.get(i).id().startsWith(study.id() + "-"));
            // the trials' initialisation seed is forked from the study's seed (not the study's seed itself)
            assertEquals(io.micromodels.seed.Seeds.fork(9L, io.micromodels.seed.Seeds.INIT), trials.get(i).seed());
            assertEquals(trials.get(i).seed(), trials.get(i).spec().seed());
            assertEquals("auc", trials.get(i).metric());
        }
        List<String> lines = Files.readAllLines(dir.resolve(Study.TRIALS_FILE));
        assertEquals(6, lines.size());
        // lines are in the order trials finished; by number they are the trials returned
        assertEquals(trials, lines.stream().map(TrialRecord::fromJson)
                .sorted(java.util.Comparator.comparingInt(TrialRecord::number)).toList());
        try (TrainedModel best = study.saveBest()) {
            assertTrue(best.testMetrics().get("auc") > 0.5);
            assertEquals(study.best().orElseThrow().spec(), best.spec());
        }
        try (TrainedModel back = ModelStore.load(dir.resolve(Study.BEST_MODEL))) {
            assertEquals(study.best().orElseThrow().spec(), back.spec());
        }
        study.close(); // the study owns its threaded executor: closing ends the pool's threads
    }

    @Test
    void askAndTellRunTheLoopByHand(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        try (Study study = Study.create(tmp.resolve("s"), options(csv, GeneratorKind.BAYES, 4))) {
            List<TrialRecord> asked = study.ask(3);
            assertEquals(List.of(1, 2, 3), asked.stream().map(TrialRecord::number).toList());
            Set<String> points = new HashSet<>();
            for (TrialRecord r : asked) {
                assertEquals(TrialStatus.RUNNING, r.status());
                assertTrue(points.add(Arrays.toString(r.point())), "a batch's points differ");
                assertEquals(study.space().getValue(r.point()), r.spec(), "the spec is the point decoded");
            }
            assertEquals(List.of(), study.trials(), "nothing finished yet");
            assertEquals(3, study.storage().trials().size(), "the storage shows the running trials");
            // told out of order, as workers finish
            for (int i : new int[] {2, 0, 1}) {
                TrialOutcome o = FAKE.run(List.of(asked.get(i).spec()), null, (x, j) -> { }).get(0);
                TrialRecord r = study.tell(asked.get(i), o);
                assertEquals(asked.get(i).number(), r.number());
                assertEquals(o.status(), r.status());
            }
            assertEquals(List.of(1, 2, 3), study.trials().stream().map(TrialRecord::number).toList());
            // the best is the complete trial with the lowest learning rate (FAKE's AUC falls with it)
            study.trials().stream().filter(TrialRecord::complete)
                    .min(java.util.Comparator.comparingDouble(r -> r.spec().updater().learningRate()))
                    .ifPresent(b -> assertEquals(b, study.best().orElseThrow()));
            List<TrialRecord> all = study.setExecutor(FAKE).run(QUIET);
            assertEquals(4, all.size());
            assertEquals(4, all.get(3).number());
        }
    }

    @Test
    void resumeContinuesNumberingWithoutRepeats(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        for (GeneratorKind g : List.of(GeneratorKind.BAYES, GeneratorKind.RANDOM, GeneratorKind.GRID)) {
            Path dir = tmp.resolve("s-" + g.label());
            Study.create(dir, options(csv, g, 5)).setExecutor(FAKE).run(QUIET);
            Study resumed = Study.resume(dir).updateTrialTarget(11).setExecutor(FAKE);
            assertEquals(5, resumed.trials().size());
            List<TrialRecord> all = resumed.run(QUIET);
            assertEquals(11, all.size(), g.label());
            Set<String> points = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).number(), g.label());
                assertTrue(points.add(Arrays.toString(all.get(i).point())), g.label() + " repeats " + all.get(i));
            }
            assertEquals(11, Study.resume(dir).options().trials(), "the new total is recorded in study.json");
        }
    }

    @Test
    void resumedRandomStudyProposesWhatAnUninterruptedOneWould(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        List<TrialRecord> straight = Study.create(tmp.resolve("a"), options(csv, GeneratorKind.RANDOM, 7))
                .setExecutor(FAKE).run(QUIET);
        Study.create(tmp.resolve("b"), options(csv, GeneratorKind.RANDOM, 3)).setExecutor(FAKE).run(QUIET);
        List<TrialRecord> resumed = Study.resume(tmp.resolve("b")).updateTrialTarget(7).setExecutor(FAKE).run(QUIET);
        for (int i = 0; i < 7; i++) {
            assertTrue(Arrays.equals(straight.get(i).point(), resumed.get(i).point()), "trial " + (i + 1));
        }
    }

    @Test
    void aKilledRunLosesOnlyTheTrialInFlight(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        List<TrialRecord> straight = Study.create(tmp.resolve("a"), options(csv, GeneratorKind.RANDOM, 6))
                .setExecutor(FAKE).run(QUIET);
        // the same study killed while writing its 5th trial, with its 4th trial lost in flight (3 and 5 finished first)
        Path dir = tmp.resolve("b");
        Study.create(dir, options(csv, GeneratorKind.RANDOM, 1)).setExecutor(FAKE).run(QUIET);
        String id = Study.resume(dir).id();
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (int k : new int[] {0, 1, 2, 4}) {
            TrialRecord r = straight.get(k);
            n++;
            lines.append(new TrialRecord(id + "-000" + n, n, r.point(), r.spec(), r.seed(), r.score(), r.metric(), r.epochs(),
                    r.bestEpoch(), r.fitSeconds(), r.seconds(), r.status(), r.failure()).toJsonLine()).append('\n');
        }
        String partial = straight.get(5).toJsonLine();
        lines.append(partial, 0, partial.length() / 2);
        Files.writeString(dir.resolve(Study.TRIALS_FILE), lines.toString(), StandardCharsets.UTF_8);

        Study resumed = Study.resume(dir);
        assertEquals(4, resumed.trials().size());
        assertEquals(1, resumed.notes().size());
        assertTrue(resumed.notes().get(0).contains("line 5 is incomplete"), resumed.notes().get(0));
        List<TrialRecord> all = resumed.updateTrialTarget(6).setExecutor(FAKE).run(QUIET);
        assertEquals(6, all.size());
        // the lost trial (the 4th proposal) runs first, then the 6th proposal: nothing repeats, nothing is skipped
        assertTrue(Arrays.equals(straight.get(3).point(), all.get(4).point()));
        assertTrue(Arrays.equals(straight.get(5).point(), all.get(5).point()));
        for (TrialRecord r : Study.resume(dir).trials()) {
            assertEquals(r, all.get(r.number() - 1));
        }
    }

    @Test
    void failedTrialsAreSeenByTheBayesianGenerator(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        // 8 coordinates: the first 16 trials are the space-filling design, then the Gaussian process proposes
        List<TrialRecord> all = Study.create(tmp.resolve("s"), options(csv, GeneratorKind.BAYES, 26)).setExecutor(FAKE)
                .run(QUIET);
        long early = all.subList(0, 16).stream().filter(r -> !r.complete()).count();
        long late = all.subList(16, 26).stream().filter(r -> !r.complete()).count();
        assertTrue(early >= 4, "the design explores the failing half: " + early);
        assertTrue(late <= 2, "after the design, proposals avoid where trials failed: " + late + " of 10 failed");
        assertEquals(TrialStatus.DIVERGED, all.stream().filter(r -> !r.complete()).findFirst().orElseThrow().status());
    }

    @Test
    void studyFolderErrorsNameTheFileAndLine(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Study.resume(tmp.resolve("nope")));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
        IllegalArgumentException notStudy = assertThrows(IllegalArgumentException.class, () -> Study.resume(tmp));
        assertTrue(notStudy.getMessage().contains("study.json is missing"), notStudy.getMessage());

        Path dir = tmp.resolve("s");
        Study.create(dir, options(csv, GeneratorKind.RANDOM, 3)).setExecutor(FAKE).run(QUIET);
        Path studyFile = dir.resolve(Study.STUDY_FILE);
        String json = Files.readString(studyFile);
        Files.writeString(studyFile, json.replaceFirst("\"format\"", "\"colour\" : \"red\",\n  \"format\""));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Study.resume(dir));
        assertTrue(unknown.getMessage().contains("study.json") && unknown.getMessage().contains("unknown key 'colour'"),
                unknown.getMessage());
        Files.writeString(studyFile, json.replaceFirst("\"trials\" : 3,", ""));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Study.resume(dir));
        assertTrue(missing.getMessage().contains("missing key 'trials'"), missing.getMessage());
        Files.writeString(studyFile, json);

        Path trials = dir.resolve(Study.TRIALS_FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(trials));
        lines.set(1, lines.get(1).replace("\"number\":2", "\"number\":2,\"extra\":true"));
        Files.write(trials, lines);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Study.resume(dir));
        assertTrue(bad.getMessage().contains("trials.jsonl line 2") && bad.getMessage().contains("unknown key 'extra'"),
                bad.getMessage());
        lines.set(1, lines.get(2));
        Files.write(trials, lines);
        IllegalArgumentException renumbered = assertThrows(IllegalArgumentException.class, () -> Study.resume(dir));
        assertTrue(renumbered.getMessage().contains("line 3: number 3 repeats an earlier trial's"), renumbered.getMessage());

        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> Study.create(dir, options(csv, GeneratorKind.RANDOM, 3)));
        assertTrue(again.getMessage().contains("already holds a study"), again.getMessage());
    }

    @Test
    void aSecondProcessCannotOpenAStudyWhileAnotherHoldsIt(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        Path dir = tmp.resolve("s");
        Study.create(dir, options(csv, GeneratorKind.RANDOM, 2)).setExecutor(FAKE).run(QUIET);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                StudyLockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            var stdout = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", stdout.readLine(), "the other process took the lock");
            StudyInUseException e = assertThrows(StudyInUseException.class, () -> Study.resume(dir));
            assertEquals("study " + dir + " is in use by another tune process (it holds " + dir.resolve("study.lock")
                    + "); wait for it to finish, then resume", e.getMessage());
            assertEquals(2, Files.readAllLines(dir.resolve(Study.TRIALS_FILE)).size());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the holder exits when its stdin closes");
        }
        // the lock went with the process: the lock file it left does not block
        assertTrue(Files.exists(dir.resolve("study.lock")));
        assertEquals(4, Study.resume(dir).updateTrialTarget(4).setExecutor(FAKE).run(QUIET).size());
    }

    @Test
    void twoOpenersOfOneStudyCannotBothRunIt(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        Path dir = tmp.resolve("s");
        Study.create(dir, options(csv, GeneratorKind.RANDOM, 2)).setExecutor(FAKE).run(QUIET);
        Study a = Study.resume(dir).updateTrialTarget(4).setExecutor(FAKE);
        Study b = Study.resume(dir).setExecutor(FAKE);
        // while a runs (holding the lock), b cannot even be opened
        List<RuntimeException> during = new ArrayList<>();
        a.run((t, all) -> {
            try {
                Study.resume(dir);
            } catch (StudyInUseException e) {
                during.add(e);
            }
        });
        assertEquals(2, during.size(), "each of a's two trials saw the study locked");
        // after a ran, b's view is stale: it would number trials 3 and 4 again
        StudyInUseException stale = assertThrows(StudyInUseException.class, () -> b.updateTrialTarget(6));
        assertTrue(stale.getMessage().endsWith("trials.jsonl changed since this study was opened (another tune process ran"
                + " it); resume the study again"), stale.getMessage());
        assertThrows(StudyInUseException.class, () -> b.run(QUIET));
        List<TrialRecord> all = Study.resume(dir).trials();
        assertEquals(List.of(1, 2, 3, 4), all.stream().map(TrialRecord::number).toList());
        assertEquals(4, all.stream().map(TrialRecord::id).distinct().count());
    }

    @Test
    void aRelativeDataPathIsRecordedResolved(@TempDir Path tmp) {
        StudyOptions o = StudyOptions.forCsv("some/where/../data.csv", "y");
        assertEquals(Path.of("").toAbsolutePath().resolve("some/data.csv").toString(), o.data());
        assertEquals(o, StudyOptions.forCsv(o.data(), "y"), "an absolute path stays as it is");
    }

    @Test
    void changedDataIsRefused(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        Path dir = tmp.resolve("s");
        Study.create(dir, options(csv, GeneratorKind.RANDOM, 1)).setExecutor(FAKE).run(QUIET);
        TuneData.binaryCsv(tmp, 201, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Study.resume(dir));
        assertTrue(e.getMessage().contains("the data changed"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void optionsRoundTripAndValidate(@TempDir Path tmp) {
        StudyOptions o = StudyOptions.forDataset("german_credit").withGenerator(GeneratorKind.GENETIC).withSeed(-3)
                .withExecution(2, 4).withEpochs(10, 0).withQuality(io.micromodels.train.QualityOptions.defaults()
                        .withMetric("pr_auc").withClassWeight(io.micromodels.train.ClassWeight.BALANCED).withThreshold("0.3")
                        .withCalibration("platt").withPositiveClass("bad"));
        assertEquals(o, StudyOptions.fromJson(io.micromodels.json.StrictJson.write(o), "o"));
        // recorded data options (nulls inside mean "infer"), and options written before they existed (no key: defaults)
        StudyOptions withData = StudyOptions.forCsv("x.csv", "y").withSeed(5).withDataOptions(io.micromodels.data.DataOptions
                .builder("y").dropColumns(java.util.List.of("id")).keepDuplicates(true).build());
        assertEquals(5, withData.dataOptions().seed(), "the data options' seed is the study's");
        assertEquals(withData, StudyOptions.fromJson(io.micromodels.json.StrictJson.write(withData), "o"));
        String old = io.micromodels.json.StrictJson.write(StudyOptions.forCsv("x.csv", "y")).replaceAll(",\\s*\"dataOptions\"\\s*:\\s*null", "");
        assertFalse(old.contains("dataOptions"), old);
        assertEquals(null, StudyOptions.fromJson(old, "o").dataOptions());
        assertThrows(IllegalArgumentException.class, () -> StudyOptions.fromJson(old.replace("\"seed\"", "\"sed\""), "o"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withTrials(0));
        assertEquals("trials must be in [1, 100000], got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StudyOptions.forCsv("x.csv", ""));
    }

    @Test
    void realTrainingMarksAnExplodingLearningRateAsDivergedOrScoresIt(@TempDir Path tmp) throws Exception {
        PreparedData data = TuneData.binary(tmp, 200, 4);
        MicromodelSpec spec = io.micromodels.spec.Micromodel.classifier(2).input(data.pipeline().width())
                .dense(8, io.micromodels.frozen.Activation.RELU).adam(0.01).epochs(3).patience(0).build();
        TrialOutcome ok = TrialExecutor.train(spec, data);
        assertEquals(TrialStatus.COMPLETE, ok.status());
        assertEquals(3, ok.epochs());
        assertTrue(ok.network() != null && ok.seconds() >= ok.fitSeconds());
        TrialOutcome wrong = TrialExecutor.train(spec.withInputs(data.pipeline().width() + 1), data);
        assertEquals(TrialStatus.FAILED, wrong.status());
        assertTrue(wrong.failure().contains("features"), wrong.failure());
    }

    @Test
    void populationStudiesShareStructurePerBatchAndScoreLikeSoloTraining(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        // no dropout, so a member's training is exactly a solo run's (dropout masks come from other random streams)
        SpaceConfig noDrop = new SpaceConfig(SMALL.depth(), SMALL.width(), SMALL.activations(), new Range(0, 0, false),
                SMALL.l1(), SMALL.l2(), SMALL.learningRate(), SMALL.batchSizes());
        // 7 coordinates: the initial design is max(5, 14) = 14 trials (batches 1-3 of 6), then batch 4 shares structure
        Study study = Study.create(tmp.resolve("pop"), options(csv, GeneratorKind.BAYES, 24).withSpace(noDrop)).setPopulation(6);
        assertEquals(7, study.space().numParameters());
        List<TrialRecord> trials = study.run(QUIET);
        assertEquals(24, trials.size());
        Set<String> ids = new HashSet<>();
        trials.forEach(t -> assertTrue(ids.add(t.id())));
        // a post-design batch trains as one population: same depth, activation and batch size
        List<TrialRecord> batch = trials.subList(18, 24);
        Set<String> shapes = new HashSet<>();
        for (TrialRecord t : batch) {
            MicromodelSpec s = t.spec();
            shapes.add(s.hidden().size() + "/" + s.hidden().get(0).activation() + "/" + s.batchSize());
        }
        assertEquals(1, shapes.size(), "structure shared within a population batch: " + shapes);
        // each member's score is what training that spec alone gives (populations never mix members)
        PreparedData data = study.data();
        for (TrialRecord t : batch) {
            TrialOutcome solo = TrialExecutor.train(t.spec(), data);
            assertEquals(solo.status(), t.status());
            assertEquals(solo.bestEpoch(), t.bestEpoch(), "trial " + t.number());
            if (t.complete()) {
                assertEquals(solo.score(), t.score(), 1e-4, "trial " + t.number());
            }
        }
    }

    @Test
    void aChosenMetricScoresTheTrialsAndTheBestModelGetsItsThresholdAndWeights(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        Path dir = tmp.resolve("study");
        io.micromodels.train.QualityOptions q = io.micromodels.train.QualityOptions.defaults().withMetric("f1")
                .withClassWeight(io.micromodels.train.ClassWeight.BALANCED);
        Study study = Study.create(dir, options(csv, GeneratorKind.RANDOM, 3).withQuality(q));
        assertEquals(Objective.F1, study.objective());
        List<TrialRecord> trials = study.run(QUIET);
        for (TrialRecord t : trials) {
            assertEquals("f1", t.metric());
        }
        try (TrainedModel best = study.saveBest()) {
            // auto threshold for f1: the best on validation, so the validation F1 of the saved model is the trial's score
            // when the trial's network was kept (its validation F1 at the best threshold)
            assertTrue(best.decision() != null);
            double[][] p = best.predict(study.data().validation().getFeatures());
            double[][] y = study.data().validation().getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
            int pos = best.decision().positive();
            double[] pp = new double[p.length];
            double[] yy = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                pp[i] = p[i][pos];
                yy[i] = y[i][pos];
            }
            assertEquals(study.best().orElseThrow().score(), io.micromodels.train.Scores.f1(yy, pp, best.decision().threshold()), 1e-6);
        }
        assertEquals("f1", Study.resume(dir).objective().metricName());
    }
}
