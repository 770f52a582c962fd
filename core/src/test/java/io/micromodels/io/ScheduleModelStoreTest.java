package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained with a learning-rate schedule and weight decay saves and loads: the DL4J configuration written into
 * the zip (with the schedule and one weight decay per layer) is the one the spec rebuilds, and the predictions agree.
 */
class ScheduleModelStoreTest {

    @Test
    void aScheduledDecayedModelRoundTrips(@TempDir Path dir) throws Exception {
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
        MicromodelSpec spec = Micromodel.classifier(2).input(data.pipeline().width()).dense(8, Activation.RELU)
                .dense(4, Activation.TANH).adam(1e-2).schedule(LearningRateSchedule.cosine(0.2)).weightDecay(0.01)
                .epochs(5).patience(0).seed(3).build();
        Path zip = dir.resolve("m.zip");
        try (TrainedModel m = TrainedModel.train(data, spec, "heart_disease_cleveland")) {
            ModelStore.save(m, zip, false);
            try (TrainedModel back = ModelStore.load(zip)) {
                assertEquals(spec, back.spec());
                double[][] a = m.predict(data.test().getFeatures());
                double[][] b = back.predict(data.test().getFeatures());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i][1], b[i][1], 1e-7, "row " + i);
                }
            }
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String conf = new String(z.getInputStream(z.getEntry(ModelStore.CONFIGURATION)).readAllBytes());
            assertTrue(conf.contains("io.micromodels.spec.EpochSchedule"), "the schedule is in DL4J's configuration");
            // one decay per layer (3 layers), not the two per layer DL4J's network-level builder would give
            assertEquals(3, conf.split("regularization.WeightDecay", -1).length - 1, conf);
        }
    }
}
