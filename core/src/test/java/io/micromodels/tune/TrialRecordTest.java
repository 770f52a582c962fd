package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import org.junit.jupiter.api.Test;

class TrialRecordTest {
    static final MicromodelSpec SPEC = Micromodel.classifier(2).input(5).dense(8, Activation.TANH).adam(0.01).build();

    @Test
    void roundTripsExactlyIncludingNanScore() {
        TrialRecord ok = new TrialRecord("0badcafe-0001", 1, new double[] {0.1, 0.123456789012345, 1.0}, SPEC, 42, 0.8125,
                "auc", 17, 9, 0.25, 0.3, TrialStatus.COMPLETE, "");
        assertEquals(ok, TrialRecord.fromJson(ok.toJsonLine()));
        assertTrue(!ok.toJsonLine().contains("\n"));
        TrialRecord failed = new TrialRecord("0badcafe-0002", 2, new double[] {0.5, 0.5, 0.5}, SPEC, 42, Double.NaN,
                "auc", 3, 0, 0.1, 0.2, TrialStatus.DIVERGED, "a loss became non-finite at epoch 3");
        assertEquals(failed, TrialRecord.fromJson(failed.toJsonLine()));
    }

    @Test
    void aRunningTrialRoundTripsAndFinishesOnce() {
        TrialRecord running = TrialRecord.running("0badcafe-0003", 3, new double[] {0.25, 0.75}, SPEC, "auc");
        assertEquals(TrialStatus.RUNNING, running.status());
        assertTrue(!running.finished() && Double.isNaN(running.score()));
        assertEquals(running, TrialRecord.fromJson(running.toJsonLine()));
        TrialRecord done = running.finish(new TrialOutcome(SPEC, TrialStatus.COMPLETE, 0.7, "auc", 5, 4, 0.5, 0.6, "", null,
                new double[] {0.68, 0.72}));
        assertEquals(3, done.number());
        assertEquals("0badcafe-0003", done.id());
        assertEquals(SPEC.seed(), done.seed());
        assertEquals(0.7, done.score());
        assertEquals(Math.sqrt(0.0008), done.scoreSd(), 1e-12, "sample sd of 0.68 and 0.72");
        assertThrows(IllegalStateException.class, () -> done.finish(TrialOutcome.failed(SPEC, "auc", "x", 0)));
        IllegalArgumentException scored = assertThrows(IllegalArgumentException.class, () -> new TrialRecord("0badcafe-0004",
                4, new double[] {0.5}, SPEC, 1, 0.5, "auc", 0, 0, 0, 0, TrialStatus.RUNNING, ""));
        assertTrue(scored.getMessage().startsWith("a RUNNING trial has no score"), scored.getMessage());
    }

    @Test
    void objectiveValuesRoundTripIncludingNaN() {
        TrialRecord r = new TrialRecord("0badcafe-0001", 1, new double[] {0.1}, SPEC, 42, 0.8125, "auc", 17, 9, 0.25, 0.3,
                TrialStatus.COMPLETE, "", new double[0], Double.NaN, new double[] {0.8125, 812.0625, Double.NaN});
        assertEquals(r, TrialRecord.fromJson(r.toJsonLine()));
        assertTrue(r.toJsonLine().contains("\"values\":[0.8125,812.0625,\"NaN\"]"), r.toJsonLine());
        assertTrue(!r.equals(r.withValues(new double[] {0.8125, 812.0625, 1})), "values take part in equality");
        String before = new TrialRecord("0badcafe-0001", 1, new double[] {0.1}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0,
                TrialStatus.COMPLETE, "").toJsonLine().replace(",\"values\":[]", "");
        assertTrue(!before.contains("values"));
        assertEquals(0, TrialRecord.fromJson(before).values().length, "a line from before objectives reads as single-objective");
        IllegalStateException running = assertThrows(IllegalStateException.class, () -> TrialRecord.running("x-1", 1,
                new double[] {0.5}, SPEC, "auc").withValues(new double[] {1}));
        assertTrue(running.getMessage().contains("running"), running.getMessage());
    }

    @Test
    void theEncodingIsKeptFromClaimToOutcomeAndOldLinesReadWithout() {
        TrialRecord running = TrialRecord.running("0badcafe-0005", 5, new double[] {0.25, 0.75}, SPEC, "auc",
                io.micromodels.data.Normalization.QUANTILE);
        assertEquals(running, TrialRecord.fromJson(running.toJsonLine()));
        assertTrue(running.toJsonLine().endsWith(",\"normalization\":\"QUANTILE\"}"), running.toJsonLine());
        TrialRecord done = running.finish(new TrialOutcome(SPEC, TrialStatus.COMPLETE, 0.7, "auc", 5, 4, 0.5, 0.6, "", null))
                .withValues(new double[] {0.7, 2}).withRungScores(new double[] {0.6});
        assertEquals(io.micromodels.data.Normalization.QUANTILE, done.normalization());
        assertEquals(done, TrialRecord.fromJson(done.toJsonLine()));
        assertTrue(!done.equals(TrialRecord.fromJson(done.toJsonLine().replace("QUANTILE", "STANDARDIZE"))),
                "the encoding takes part in equality");
        // a line written before encodings were recorded: read with none, written back as it was
        String before = new TrialRecord("0badcafe-0001", 1, new double[] {0.1}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0,
                TrialStatus.COMPLETE, "").toJsonLine();
        assertTrue(!before.contains("normalization"), before);
        assertEquals(null, TrialRecord.fromJson(before).normalization());
        assertEquals(before, TrialRecord.fromJson(before).toJsonLine());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrialRecord.fromJson(running.toJsonLine().replace("QUANTILE", "ZSCORE")));
        assertTrue(bad.getMessage().contains("ZSCORE"), bad.getMessage());
    }

    @Test
    void unknownAndMissingKeysAreNamed() {
        String line = new TrialRecord("0badcafe-0001", 1, new double[] {0.1}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0,
                TrialStatus.COMPLETE, "").toJsonLine();
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> TrialRecord.fromJson(line.replace("{\"id\"", "{\"colour\":1,\"id\"")));
        assertTrue(extra.getMessage().contains("unknown key 'colour'"), extra.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrialRecord.fromJson(line.replace("\"metric\":\"auc\",", "")));
        assertTrue(missing.getMessage().contains("missing key 'metric'"), missing.getMessage());
    }

    @Test
    void validatesFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrialRecord("x-1", 1,
                new double[] {1.5}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0, TrialStatus.COMPLETE, ""));
        assertEquals("point[0] must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrialRecord("x-1", 1, new double[] {0.5}, SPEC, 42,
                Double.NaN, "auc", 1, 1, 0, 0, TrialStatus.COMPLETE, ""));
    }
}
