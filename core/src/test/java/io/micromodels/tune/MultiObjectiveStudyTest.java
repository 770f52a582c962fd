package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.json.StrictJson;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-objective study: each trial's objective values, the Pareto front kept in pareto.json, the --pick rules on it,
 * options that round-trip and are refused before disk, and study folders written before objectives existed.
 */
class MultiObjectiveStudyTest {

    /** Weights and biases of a dense stack, counted by hand from the spec's widths. */
    static long handCount(MicromodelSpec s) {
        long total = 0;
        int in = s.inputs();
        for (HiddenLayer h : s.hidden()) {
            total += (long) in * h.width() + h.width();
            in = h.width();
        }
        return total + (long) in * s.outputs() + s.outputs();
    }

    /** Brute force: complete trials with finite values that no other such trial dominates (ties: the lower number). */
    static List<Integer> bruteFront(List<TrialRecord> trials, boolean[] higherIsBetter) {
        List<TrialRecord> ok = trials.stream().filter(r -> r.complete()
                && java.util.Arrays.stream(r.values()).allMatch(Double::isFinite)).toList();
        List<Integer> out = new ArrayList<>();
        for (TrialRecord a : ok) {
            boolean beaten = false;
            for (TrialRecord b : ok) {
                if (a == b) {
                    continue;
                }
                boolean noWorse = true;
                boolean better = false;
                for (int k = 0; k < higherIsBetter.length; k++) {
                    double x = higherIsBetter[k] ? -a.values()[k] : a.values()[k];
                    double y = higherIsBetter[k] ? -b.values()[k] : b.values()[k];
                    noWorse &= y <= x;
                    better |= y < x;
                }
                if (noWorse && (better || b.number() < a.number())) {
                    beaten = true;
                }
            }
            if (!beaten) {
                out.add(a.number());
            }
        }
        return out;
    }

    @Test
    void trialsCarryTheirValuesAndTheFrontIsKeptInTheFolder(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        Path dir = tmp.resolve("s");
        StudyOptions o = StudyTest.options(csv, GeneratorKind.BAYES, 10).withObjectives(List.of("auc", "params"));
        List<TrialRecord> all;
        try (Study study = Study.create(dir, o).setExecutor(StudyTest.FAKE)) {
            all = study.run(StudyTest.QUIET);
            assertEquals(10, all.size());
            for (TrialRecord r : all) {
                assertEquals(2, r.values().length);
                if (r.complete()) {
                    assertEquals(r.score(), r.values()[0], "the first objective is the score");
                    assertEquals(handCount(r.spec()), r.values()[1], "params");
                } else {
                    assertTrue(Double.isNaN(r.values()[0]) && Double.isNaN(r.values()[1]), "a failed trial has no values");
                }
            }
            List<Integer> front = bruteFront(all, new boolean[] {true, false});
            assertFalse(front.isEmpty());
            assertEquals(front, study.paretoFront().stream().map(TrialRecord::number).toList());
            ParetoTrials.File file = ParetoTrials.read(dir.resolve(ParetoTrials.FILE));
            assertEquals(front, file.front().stream().map(ParetoTrials.Member::number).toList());
            assertEquals(all.stream().filter(TrialRecord::complete).count(), file.completeTrials());
            // best is the best score; smallest-within a huge tolerance is the smallest network on the front
            assertEquals(study.best(), study.pick(Pick.BEST));
            TrialRecord smallest = study.pick(Pick.parse("smallest-within 1")).orElseThrow();
            long fewest = all.stream().filter(TrialRecord::complete).mapToLong(r -> handCount(r.spec())).min().orElseThrow();
            assertEquals(fewest, handCount(smallest.spec()));
            IllegalArgumentException noSpeed = assertThrows(IllegalArgumentException.class,
                    () -> study.pick(Pick.parse("fastest-within 1%")));
            assertTrue(noSpeed.getMessage().contains("needs latency or rows_per_second"), noSpeed.getMessage());
            try (TrainedModel m = study.saveBest(Pick.parse("smallest-within 1"))) {
                assertEquals(smallest.spec(), m.spec(), "the picked trial's model is saved");
            }
        }
        try (Study again = Study.resume(dir)) {
            assertEquals(all, again.trials(), "values read back from trials.jsonl");
            assertEquals(o, again.options());
        }
    }

    @Test
    void latencyAndThroughputAreMeasuredOnTheFrozenNetwork(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        StudyOptions o = StudyTest.options(csv, GeneratorKind.RANDOM, 4).withObjectives(List.of("auc", "latency", "rows_per_second"));
        try (Study study = Study.create(tmp.resolve("s"), o).setExecutor(StudyTest.FAKE)) {
            for (TrialRecord r : study.run(StudyTest.QUIET)) {
                if (r.complete()) {
                    double ns = r.values()[1];
                    double perSecond = r.values()[2];
                    assertTrue(ns > 0 && ns < 1e7, "latency " + ns + " ns/row");
                    assertTrue(perSecond > 100 && perSecond < 1e10, "rows per second " + perSecond);
                }
            }
            assertEquals(List.of(), study.notes(), "every measurement succeeded");
        }
    }

    @Test
    void optionsRoundTripAndBadObjectivesAreRefusedBeforeDisk(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        StudyOptions o = StudyTest.options(csv, GeneratorKind.BAYES, 3).withObjectives(List.of("auc", "latency"));
        assertEquals(o, StudyOptions.fromJson(StrictJson.write(o), "test"));
        assertEquals(List.of(SearchObjective.parse("auc"), SearchObjective.parse("latency")), o.searchObjectives());
        String[][] bad = {
            {"objectives must each be one of", "auc", "speed"},
            {"objectives must name 2 to 4 objectives", "auc"},
            {"objectives must name 2 to 4 objectives", "auc", "params", "latency", "rows_per_second", "log_loss"},
            {"objectives must be distinct", "auc", "auc"},
            {"objectives[0] is the primary objective and must be a metric", "latency", "auc"},
        };
        for (String[] row : bad) {
            List<String> names = List.of(row).subList(1, row.length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withObjectives(names));
            assertTrue(e.getMessage().startsWith(row[0]), e.getMessage());
            assertTrue(e.getMessage().contains(names.get(names.size() - 1)), "names the value: " + e.getMessage());
        }
        IllegalArgumentException genetic = assertThrows(IllegalArgumentException.class,
                () -> o.withGenerator(GeneratorKind.GENETIC));
        assertTrue(genetic.getMessage().startsWith("generator genetic optimises one score"), genetic.getMessage());
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
                () -> o.withQuality(QualityOptions.defaults().withMetric("log_loss")));
        assertEquals("objectives[0] 'auc' must be the study's metric 'log_loss' (quality.metric): the first objective is "
                + "the one trials are scored by", metric.getMessage());
        IllegalArgumentException cv = assertThrows(IllegalArgumentException.class, () -> o.withObjectives(List.of("auc", "log_loss"))
                .withCv(new CrossValidation(3, "", "")));
        assertTrue(cv.getMessage().contains("with cross-validation only the first objective may be a metric"), cv.getMessage());
        // the task decides: a regression metric on a binary task, and a first objective that is not the task's metric
        Path dir = tmp.resolve("never");
        for (List<String> names : List.of(List.of("auc", "rmse"), List.of("log_loss", "params"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Study.create(dir, o.withObjectives(names)).close());
            assertTrue(e.getMessage().startsWith("objectives: "), e.getMessage());
            assertTrue(e.getMessage().contains(names.get(0).equals("auc") ? "'rmse' does not fit a binary task"
                    : "'log_loss' must be the study's metric 'auc'"), e.getMessage());
        }
        assertFalse(Files.exists(dir), "refused before anything was written");
    }

    @Test
    void aStudyFolderWrittenBeforeObjectivesExistedStillLoads(@TempDir Path tmp) throws Exception {
        // study.json and trials.jsonl written by the code before this change (no objectives, no values keys)
        Path dir = tmp.resolve("old");
        Files.createDirectories(dir);
        for (String f : List.of(Study.STUDY_FILE, Study.TRIALS_FILE)) {
            try (InputStream in = getClass().getResourceAsStream("study-before-objectives/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        assertFalse(Files.readString(dir.resolve(Study.TRIALS_FILE)).contains("values"));
        assertFalse(Files.readString(dir.resolve(Study.STUDY_FILE)).contains("objectives"));
        JournalStorage s = JournalStorage.open(dir);
        assertEquals(List.of(), s.header().options().objectives());
        assertEquals(List.of(1, 2), s.trials().stream().map(TrialRecord::number).toList());
        TrialRecord first = s.trials().get(0);
        assertEquals(0.78125, first.score());
        assertArrayEquals(new double[0], first.values());
        assertEquals(TrialStatus.DIVERGED, s.trials().get(1).status());
        // told again, a trial of the old study is written with its (empty) values and read back equal
        TrialRecord next = s.claim(n -> TrialRecord.running("01d5a7e0-0003", n, new double[] {0.5, 0.5}, first.spec(), "auc"));
        s.tell(new TrialRecord(next.id(), 3, next.point(), next.spec(), next.seed(), 0.7, "auc", 4, 3, 0.1, 0.2,
                TrialStatus.COMPLETE, ""));
        assertEquals(s.trials(), JournalStorage.open(dir).trials());
    }

    @Test
    void aJournalLineWithTheWrongNumberOfValuesIsRefusedNamingTheLine(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 9);
        Path dir = tmp.resolve("s");
        try (Study study = Study.create(dir, StudyTest.options(csv, GeneratorKind.RANDOM, 2).withObjectives(List.of("auc", "params")))
                .setExecutor(StudyTest.FAKE)) {
            study.run(StudyTest.QUIET);
        }
        Path trials = dir.resolve(Study.TRIALS_FILE);
        List<String> lines = Files.readAllLines(trials);
        TrialRecord r = TrialRecord.fromJson(lines.get(0));
        lines.set(0, r.withValues(new double[] {0.5}).toJsonLine());
        Files.write(trials, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JournalStorage.open(dir));
        assertEquals(trials + " line 1: values must have 2 entries (one per objective [auc, params]), got 1", e.getMessage());
    }
}
