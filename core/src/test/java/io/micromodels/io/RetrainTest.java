package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.Activation;
import io.micromodels.population.Ensemble;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.Provenance;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model zip and the CSV are enough to train the model again bit for bit: trained with non-default data options (';'
 * separator, a dropped id column, a time-ordered split, min-max scaling), class weights and dropout, saved, then
 * retrained by {@link Retrain#from} from the zip alone; the parameters are compared bit for bit.
 */
class RetrainTest {
    @TempDir
    Path dir;

    /** 240 rows: id; day (ISO date, shuffled order); two numbers; a category; a binary target that depends on them. */
    private Path csv() throws Exception {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("id;day;x1;x2;colour;y\n");
        for (int i = 0; i < 240; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextDouble() * 10;
            String colour = List.of("red", "green", "blue").get(r.nextInt(3));
            boolean y = x1 + 0.2 * x2 + (colour.equals("red") ? 1 : 0) + 0.5 * r.nextGaussian() > 1.5;
            sb.append(String.format(Locale.ROOT, "%d;2024-%02d-%02d;%.4f;%.3f;%s;%s%n", 1000 + i, 1 + r.nextInt(12),
                    1 + r.nextInt(28), x1, x2, colour, y ? "yes" : "no"));
        }
        Path f = dir.resolve("data.csv");
        Files.writeString(f, sb, StandardCharsets.UTF_8);
        return f;
    }

    private static DataOptions options(long root) {
        return DataOptions.builder("y").separator(';').dropColumns(List.of("id")).timeColumn("day")
                .normalization(Normalization.MIN_MAX).seed(root).build();
    }

    private static MicromodelSpec spec(PreparedData data, long root) {
        return Micromodel.classifier(2).input(data.pipeline().width()).dense(16, Activation.RELU).dropout(0.2)
                .dense(8, Activation.TANH).l2(1e-4).adam(3e-3).batchSize(16).epochs(12).patience(4).seed(root).build();
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().toFloatVector();
    }

    @Test
    void aModelZipAndItsCsvRetrainBitForBit() throws Exception {
        Path csv = csv();
        long root = 7;
        DataOptions options = options(root);
        PreparedData data = DataPipeline.prepare(csv, options);
        QualityOptions quality = QualityOptions.defaults().withClassWeight(ClassWeight.BALANCED);
        Path zip = dir.resolve("model.zip");
        float[] first;
        double threshold;
        try (TrainedModel m = TrainedModel.train(data, spec(data, root), csv.toString(), quality)) {
            first = params(m.network());
            threshold = m.decision().threshold();
            ModelStore.save(m, zip, false);
        }
        Provenance p = ModelStore.provenance(zip);
        Recipe r = p.recipe();
        assertEquals(options, r.data());
        assertEquals(quality, r.quality());
        assertEquals(root, r.rootSeed());
        assertEquals(List.of(Seeds.SPLIT, Seeds.INIT, Seeds.BATCH_ORDER, Seeds.DROPOUT), List.copyOf(r.seeds().keySet()));
        assertEquals(root, r.seeds().get(Seeds.SPLIT));
        assertEquals(Seeds.fork(root, Seeds.INIT), r.seeds().get(Seeds.INIT));

        try (TrainedModel again = Retrain.from(zip, csv)) {
            assertArrayEquals(first, params(again.network()));
            assertEquals(threshold, again.decision().threshold());
        }
        // another root seed gives other parameters (so the comparison above can fail)
        PreparedData other = DataPipeline.prepare(csv, options(8));
        try (TrainedModel m = TrainedModel.train(other, spec(other, 8), csv.toString(), quality)) {
            assertFalse(java.util.Arrays.equals(first, params(m.network())));
        }
    }

    @Test
    void anEnsembleRetrainsBitForBit() throws Exception {
        Path csv = csv();
        PreparedData data = DataPipeline.prepare(csv, options(11));
        Path zip = dir.resolve("ensemble.zip");
        List<float[]> first = new java.util.ArrayList<>();
        try (TrainedModel m = Ensemble.train(data, spec(data, 11), 3, csv.toString())) {
            m.members().forEach(n -> first.add(params(n)));
            ModelStore.save(m, zip, false);
        }
        try (TrainedModel again = Retrain.from(zip, csv)) {
            assertEquals(3, again.members().size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(first.get(i), params(again.members().get(i)), "member " + i);
            }
        }
    }

    @Test
    void anotherCsvIsRefusedInOneLine() throws Exception {
        Path csv = csv();
        PreparedData data = DataPipeline.prepare(csv, options(5));
        Path zip = dir.resolve("model.zip");
        try (TrainedModel m = TrainedModel.train(data, spec(data, 5), csv.toString())) {
            ModelStore.save(m, zip, false);
        }
        Files.writeString(csv, Files.readString(csv).replace("red", "rad"));
        String msg = assertThrows(IllegalArgumentException.class, () -> Retrain.from(zip, csv)).getMessage();
        assertTrue(msg.startsWith(csv + ": SHA-256 ") && msg.contains("is not the training data's"), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void aFormat2ZipWithoutRecipeLoadsButIsNotRetrained() throws Exception {
        Path zip = Path.of(RetrainTest.class.getResource("main-format2/binary.zip").toURI());
        Path csv = Path.of(RetrainTest.class.getResource("main-format2/data.csv").toURI());
        assertNull(ModelStore.provenance(zip).recipe());
        String msg = assertThrows(IllegalArgumentException.class, () -> Retrain.from(zip, csv)).getMessage();
        assertTrue(msg.contains("has no recipe"), msg);
    }
}
