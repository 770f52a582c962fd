package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.io.ModelStore;
import io.micromodels.io.Retrain;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.Provenance;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --seed} with {@code --spec}: the flag overrides the spec's seed and says so; without it the spec's seed
 * is the root. The model records the root seed and the data options (here {@code --sep ';'}, {@code --drop},
 * {@code --time-column}, {@code --task}), so the zip and the CSV retrain it bit for bit.
 */
class TrainSeedTest {

    @Test
    void seedOverridesTheSpecAndTheZipRetrains(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder("id;when;x;colour;y\n");
        for (int i = 0; i < 150; i++) {
            double x = r.nextGaussian();
            String c = r.nextBoolean() ? "red" : "blue";
            sb.append(String.format(Locale.ROOT, "%d;2023-%02d-%02d;%.4f;%s;%d%n", i, 1 + r.nextInt(12), 1 + r.nextInt(28), x, c,
                    x + (c.equals("red") ? 0.7 : 0) + 0.3 * r.nextGaussian() > 0.3 ? 1 : 0));
        }
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, sb);
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, Micromodel.classifier(2).input(7).dense(6, Activation.RELU).dropout(0.1).epochs(4)
                .patience(0).seed(1).build().toJson());
        List<String> common = List.of("train", "--data", csv.toString(), "--target", "y", "--sep", ";", "--drop", "id",
                "--time-column", "when", "--task", "binary", "--spec", spec.toString(), "--normalization", "standardize", "--quiet", "--no-report");

        CliTest.Run overridden = CliTest.run(args(common, "--seed", "9", "--out", dir.resolve("a").toString()));
        assertEquals(0, overridden.code(), overridden.err());
        assertTrue(overridden.out().contains("seed 9 (--seed) overrides the spec's seed 1"), overridden.out());
        Path zip = dir.resolve("a/model.zip");
        Provenance p = ModelStore.provenance(zip);
        assertEquals(9, p.spec().seed());
        assertEquals(9, p.recipe().rootSeed());
        assertEquals(9, p.recipe().data().seed()); // the split uses the root as tune does
        assertEquals(Seeds.fork(9, Seeds.INIT), p.recipe().seeds().get(Seeds.INIT));
        assertEquals(';', p.recipe().data().separator());
        assertEquals(List.of("id"), p.recipe().data().dropColumns());
        assertEquals("when", p.recipe().data().timeColumn());

        CliTest.Run fromSpec = CliTest.run(args(common, "--out", dir.resolve("b").toString()));
        assertEquals(0, fromSpec.code(), fromSpec.err());
        assertFalse(fromSpec.out().contains("overrides"), fromSpec.out());
        assertEquals(1, ModelStore.provenance(dir.resolve("b/model.zip")).recipe().rootSeed());

        try (TrainedModel saved = ModelStore.load(zip); TrainedModel again = Retrain.from(zip, csv)) {
            assertArrayEquals(saved.network().params().toFloatVector(), again.network().params().toFloatVector());
        }
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new java.util.ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
