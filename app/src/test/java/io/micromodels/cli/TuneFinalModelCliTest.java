package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.io.ModelStore;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune --cv K --ensemble N} with the quality flags: the saved final model carries the decision fitted on
 * out-of-fold predictions and records the options; options that do not fit the task are one-line errors before disk.
 */
class TuneFinalModelCliTest {

    @Test
    void aCrossValidatedEnsembleStudySavesItsOutOfFoldDecisionAndTheOptions(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        TuneCommandTest.Run r = TuneCommandTest.run("tune", "--data", csv.toString(), "--target", "y", "--trials", "2",
                "--epochs", "20", "--patience", "4", "--generator", "random", "--population", "2", "--cv", "3",
                "--ensemble", "2", "--metric", "f1", "--class-weight", "balanced", "--calibrate", "platt",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("decision (fitted on out-of-fold predictions): threshold "), r.out());
        assertTrue(r.out().contains("Platt calibration slope "), r.out());
        try (TrainedModel model = ModelStore.load(dir.resolve("best-model.zip"))) {
            Recipe recipe = model.provenance().recipe();
            assertEquals(QualityOptions.defaults().withMetric("f1").withClassWeight(ClassWeight.BALANCED)
                    .withCalibration("platt"), recipe.quality());
            assertEquals(2, recipe.members());
            assertTrue(model.decision().calibrated());
            String printed = String.format(java.util.Locale.ROOT, "threshold %.4f on p(", model.decision().threshold());
            assertTrue(r.out().contains(printed), "prints the saved threshold " + printed + ": " + r.out());
        }
    }

    @Test
    void qualityOptionsThatDoNotFitTheTaskAreOneLineErrors(@TempDir Path tmp) {
        String[][] cases = {
            {"--calibrate", "platt", "--calibrate platt needs a binary task"},
            {"--threshold", "0.3", "--threshold 0.3 needs a binary task"},
            {"--class-weight", "balanced", "--class-weight balanced needs a classification task"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path dir = tmp.resolve("o" + i++);
            TuneCommandTest.Run r = TuneCommandTest.run("tune", "--dataset", "diabetes_progression", "--cv", "3", "--ensemble",
                    "2", c[0], c[1], "--out", dir.toString());
            assertEquals(2, r.code(), c[0] + " " + c[1] + ": " + r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(Files.notExists(dir), "nothing written for " + c[0]);
        }
    }
}
