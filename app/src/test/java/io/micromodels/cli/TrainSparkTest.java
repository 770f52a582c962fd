package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.io.ModelStore;
import io.micromodels.io.Retrain;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.Provenance;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --spark local[2]}: a model saved like a local one (zip, split, options) whose provenance says Spark and
 * the master, and the flag's errors before anything is written.
 */
class TrainSparkTest {

    @Test
    void trainsOnLocalSparkAndSavesLikeALocalModel(@TempDir Path dir) throws Exception {
        Random r = new Random(2);
        StringBuilder sb = new StringBuilder("id,x,colour,y\n");
        for (int i = 0; i < 400; i++) {
            double x = r.nextGaussian();
            String c = r.nextBoolean() ? "red" : "blue";
            sb.append(String.format(Locale.ROOT, "%d,%.4f,%s,%s%n", i, x, c,
                    x + (c.equals("red") ? 0.7 : 0) + 0.3 * r.nextGaussian() > 0.3 ? "yes" : "no"));
        }
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, sb);
        Path spec = dir.resolve("spec.json"); // x standardised and colour one-hot: 3 inputs
        Files.writeString(spec, Micromodel.classifier(2).input(3).dense(8, Activation.RELU).batchSize(32).epochs(6)
                .patience(0).seed(5).build().toJson());
        CliTest.Run run = CliTest.run("train", "--data", csv.toString(), "--target", "y", "--drop", "id", "--spec",
                spec.toString(), "--normalization", "standardize", "--spark", "local[2]", "--out", dir.resolve("run").toString(), "--no-report");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(") on Spark local[2] (2 task slots, parameter averaging every 5 minibatches of 32)"),
                run.out());
        assertTrue(run.out().contains("test metrics (60 rows):"), run.out());
        Path zip = dir.resolve("run/model.zip");
        assertTrue(Files.exists(dir.resolve("run/split.csv")) && Files.exists(dir.resolve("run/data-options.json")));
        Provenance p = ModelStore.provenance(zip);
        assertEquals(Recipe.SPARK, p.recipe().trainer());
        assertEquals(6, p.epochsRun());
        assertTrue(p.backend().device().startsWith("Spark local[2] (2 task slots)"), p.backend().device());
        try (TrainedModel m = ModelStore.load(zip)) {
            // it learnt (chance is 0.5; six short epochs stay below the ~0.97 of the true score x + 0.7 red), and the
            // recorded test metrics are those of the saved network
            assertTrue(m.testMetrics().get("auc") > 0.75, "test AUC " + m.testMetrics().get("auc"));
            assertTrue(run.out().contains(String.format(Locale.ROOT, "%.4f", m.testMetrics().get("auc"))), run.out());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Retrain.from(zip, csv));
        assertTrue(e.getMessage().contains("it was trained on Spark (spark --spark local[2]"), e.getMessage());
    }

    @Test
    void flagErrorsComeBeforeAnythingIsWritten(@TempDir Path dir) {
        Path out = dir.resolve("never");
        CliTest.Run bad = CliTest.run("train", "--data", "x.csv", "--target", "y", "--spark", "yarn", "--out", out.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("--spark: expected local, local[N], local[*] or spark://host:port, got 'yarn'"), bad.err());
        CliTest.Run dataset = CliTest.run("train", "--dataset", "german_credit", "--spark", "local[2]", "--out", out.toString());
        assertTrue(dataset.err().contains("--spark reads the CSV on the executors: give it as --data FILE.csv, got --dataset german_credit"),
                dataset.err());
        CliTest.Run ensemble = CliTest.run("train", "--data", "x.csv", "--target", "y", "--spark", "local[2]", "--ensemble", "3",
                "--out", out.toString());
        assertTrue(ensemble.err().contains("--spark trains one network: leave out --ensemble or use --ensemble 1, got 3"),
                ensemble.err());
        assertFalse(Files.exists(out));
    }
}
