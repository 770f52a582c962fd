package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.io.ModelStore;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.train.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --lr-schedule --warmup --weight-decay}, composed with {@code --ensemble} and the quality flags; bad
 * values are refused naming the flag before anything is written.
 */
class TrainScheduleCliTest {

    @Test
    void scheduleDecayEnsembleAndDecisionCompose(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--dataset", "heart_disease_cleveland", "--lr-schedule", "one_cycle",
                "--weight-decay", "0.01", "--ensemble", "2", "--class-weight", "balanced", "--metric", "f1",
                "--calibrate", "platt", "--quiet", "--no-report", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path zip = out.resolve("model.zip");
        Provenance p = ModelStore.provenance(zip);
        assertEquals(LearningRateSchedule.oneCycle(0.3), p.spec().updater().schedule());
        assertEquals(0.01, p.spec().updater().weightDecay());
        assertEquals(2, p.recipe().members());
        assertEquals("balanced", p.recipe().quality().classWeight().flagName());
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertTrue(z.getEntry(ModelStore.DECISION) != null, "the ensemble's decision is saved");
            String decision = new String(z.getInputStream(z.getEntry(ModelStore.DECISION)).readAllBytes());
            assertTrue(decision.contains("\"platt\""), decision);
            assertTrue(z.getEntry(ModelStore.ENSEMBLE) != null);
        }
    }

    @Test
    void badValuesAreRefusedBeforeTheDisk(@TempDir Path dir) {
        String[][] cases = {
                {"--lr-schedule", "step"}, {"--warmup", "0.2"}, {"--lr-schedule", "one_cycle", "--warmup", "0"},
                {"--lr-schedule", "cosine", "--warmup", "1"}, {"--weight-decay", "2"}};
        String[] messages = {
                "--lr-schedule must be one of [constant, cosine, one_cycle], got 'step'",
                "--warmup needs --lr-schedule, got --warmup 0.2 alone",
                "--warmup must be in (0, 1) for one_cycle, got 0.0",
                "--warmup must be in [0, 1), got 1.0",
                "--weight-decay must be in [0, 1], got 2.0"};
        for (int i = 0; i < cases.length; i++) {
            Path out = dir.resolve("run" + i);
            String[] args = new String[cases[i].length + 6];
            System.arraycopy(new String[] {"train", "--dataset", "heart_disease_cleveland", "--quiet", "--out", out.toString()}, 0, args, 0, 6);
            System.arraycopy(cases[i], 0, args, 6, cases[i].length);
            CliTest.Run r = CliTest.run(args);
            assertNotEquals(0, r.code());
            assertTrue(r.err().contains(messages[i]), r.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", cases[i]));
        }
    }
}
