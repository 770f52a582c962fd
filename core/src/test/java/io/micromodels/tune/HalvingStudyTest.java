package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.population.Population;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune --halving}: partial trials, refill, options. */
class HalvingStudyTest {

    @Test
    void maskedMembersAreKeptAsPartialTrialsEqualToTrainingThemAloneAndFreedSlotsAreRefilled(@TempDir Path tmp)
            throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 300, 3);
        StudyOptions o = StudyTest.options(csv, GeneratorKind.RANDOM, 10).withEpochs(8, 0).withExecution(1, 4)
                .withHalving(new Halving(List.of(2, 4), 0.5));
        try (Study study = Study.create(tmp.resolve("s"), o)) {
            List<TrialRecord> all = study.run(StudyTest.QUIET);
            assertEquals(10, all.size());
            List<TrialRecord> partial = all.stream().filter(r -> r.status() == TrialStatus.PARTIAL).toList();
            // the first four reach rung 2 together: floor(0.5 * 4) = 2 go on, 2 are masked out at least
            assertTrue(partial.size() >= 2, "partial trials: " + partial.size());
            for (TrialRecord r : partial) {
                assertTrue(r.epochs() == 2 || r.epochs() == 4, "trial " + r.number() + " stopped at epoch " + r.epochs());
                assertTrue(r.failure().startsWith("masked out at rung " + r.epochs()), r.failure());
                double[] g = r.rungScores();
                assertEquals(r.epochs() == 2 ? 1 : 2, g.length, "a score per rung reached");
                assertEquals(r.score(), g[g.length - 1], 0, "the last rung score is the partial trial's score");
                // the candidate trained alone for the rung's epochs, scored on the validation split: by DL4J's own loop
                // (Trainer) without dropout; with dropout as a population of one (its own dropout stream, which the
                // Trainer's thread-wide ND4J random does not reproduce)
                MicromodelSpec rung = Micromodel.from(r.spec()).epochs(r.epochs()).build();
                boolean dropout = rung.hidden().stream().anyMatch(l -> l.dropRate() > 0);
                try (TrainingResult alone = dropout
                        ? Population.fit(List.of(rung), study.data().train(), study.data().validation()).member(0)
                        : Trainer.fit(rung, study.data().train(), study.data().validation())) {
                    double score = study.objective().evaluate(alone.network(), study.data().validation(),
                            study.data().pipeline());
                    assertEquals(score, r.score(), 1e-4, "trial " + r.number() + (dropout ? " (dropout)" : ""));
                    assertEquals(alone.bestEpoch(), r.bestEpoch(), "trial " + r.number());
                }
            }
            assertEquals(TrialStatus.COMPLETE, study.best().orElseThrow().status());
            assertTrue(all.stream().filter(TrialRecord::complete).allMatch(r -> r.epochs() == 8));
            assertTrue(all.stream().filter(TrialRecord::complete).allMatch(r -> r.rungScores().length == 2),
                    "complete trials passed both rungs");
            // the population stays full while trials remain to be claimed
            List<int[]> occupancy = study.halvingOccupancy();
            assertFalse(occupancy.isEmpty());
            for (int[] e : occupancy) {
                if (e[1] > 0) {
                    assertEquals(4, e[0], "members training while " + e[1] + " trials are unclaimed");
                }
            }
            assertTrue(occupancy.stream().anyMatch(e -> e[1] > 0 && e[1] < 6), "refilled after masking");
            // recorded and read back exactly
            try (Study again = Study.resume(tmp.resolve("s"))) {
                assertEquals(all, again.trials());
                assertEquals(o.halving(), again.options().halving());
            }
        }
    }

    @Test
    void modelOfAnyCompleteTrialRebuildsTheNetworkItsTrialTrainedInAPopulation(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 300, 3);
        StudyOptions base = StudyTest.options(csv, GeneratorKind.RANDOM, 10).withEpochs(8, 0).withExecution(1, 4);
        for (boolean halving : new boolean[] {true, false}) {
            StudyOptions o = halving ? base.withHalving(new Halving(List.of(2, 4), 0.5)) : base;
            try (Study study = Study.create(tmp.resolve("s-" + halving), o)) {
                if (!halving) {
                    study.setPopulation(4);
                }
                List<TrialRecord> all = study.run(StudyTest.QUIET);
                List<TrialRecord> complete = all.stream().filter(TrialRecord::complete).toList();
                assertTrue(complete.size() >= 2, "complete trials: " + complete.size());
                boolean sawDropout = false;
                // every complete trial but the best is retrained (the best's network is kept): the recorded validation
                // score, measured on the network trained among other members, is the rebuilt network's
                for (TrialRecord r : complete) {
                    sawDropout |= r.spec().hidden().stream().anyMatch(l -> l.dropRate() > 0);
                    try (io.micromodels.train.TrainedModel m = study.model(r)) {
                        double score = study.objective().evaluate(m.network(), study.data().validation(),
                                study.data().pipeline());
                        assertEquals(r.score(), score, 1e-4, (halving ? "halving" : "population") + " trial " + r.number()
                                + " " + r.spec().hidden());
                        assertTrue(Double.isFinite(m.testMetrics().get(r.metric())));
                    }
                }
                assertTrue(sawDropout || !halving, "the random search drew no candidate with dropout: the test needs one");
                TrialRecord notComplete = all.stream().filter(r -> !r.complete()).findFirst().orElse(null);
                if (notComplete != null) {
                    assertEquals("trial " + notComplete.number() + " is " + notComplete.status() + ", not COMPLETE: only a"
                                    + " complete trial has a model",
                            assertThrows(IllegalArgumentException.class, () -> study.model(notComplete)).getMessage());
                }
            }
        }
    }

    @Test
    void optionsAreValidatedNamingFieldRangeAndValue(@TempDir Path tmp) throws Exception {
        assertEquals("halving.rungs must be strictly increasing epochs in [1, 100000], got [10, 5]",
                assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(10, 5), 0.5)).getMessage());
        assertEquals("halving.rungs must be strictly increasing epochs in [1, 100000], got [0, 5]",
                assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(0, 5), 0.5)).getMessage());
        assertEquals("halving.keep must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(5), 1.0)).getMessage());
        StudyOptions base = StudyOptions.forDataset("german_credit").withEpochs(100, 10);
        assertEquals("halving.rungs must be below maxEpochs = 100, got [10, 100]",
                assertThrows(IllegalArgumentException.class,
                        () -> base.withHalving(new Halving(List.of(10, 100), 0.5))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base.withCv(CrossValidation.folds(5))
                .withHalving(new Halving(List.of(10), 0.5))).getMessage().startsWith("halving does not combine with cv"));
        // strict JSON round trip, and options recorded before halving existed read as without it
        StudyOptions h = base.withHalving(new Halving(List.of(10, 30, 90), 0.25));
        String json = io.micromodels.json.StrictJson.write(h);
        assertEquals(h, StudyOptions.fromJson(json, "study.json"));
        String legacy = io.micromodels.json.StrictJson.write(base).replaceFirst(",\\s*\"halving\"\\s*:\\s*\\{[^}]*\\}", "");
        assertFalse(legacy.contains("halving"), legacy);
        assertEquals(Halving.NONE, StudyOptions.fromJson(legacy, "study.json").halving());
        String unknown = json.replace("\"keep\"", "\"kept\"");
        assertThrows(IllegalArgumentException.class, () -> StudyOptions.fromJson(unknown, "study.json"));
    }

    @Test
    void promotionKeepsTheBestFractionAndAtLeastOne() {
        Halving h = new Halving(List.of(3), 0.5);
        assertTrue(h.promotes(1, 1));
        assertTrue(h.promotes(2, 4));
        assertFalse(h.promotes(3, 4));
        assertTrue(h.promotes(1, 3));
        assertFalse(h.promotes(2, 3));
        Halving third = new Halving(List.of(3), 1.0 / 3);
        assertTrue(third.promotes(3, 9));
        assertFalse(third.promotes(4, 9));
    }
}
