package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.Prediction;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.Objective;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A binary model's calibration and threshold: chosen on validation, saved, loaded, frozen, applied alike. */
class DecisionRoundTripTest {

    @Test
    void plattAndTheF1ThresholdSurviveSaveLoadAndFreezing(@TempDir Path dir) throws Exception {
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(7);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(8).patience(0).seed(3).build();
        QualityOptions q = QualityOptions.defaults().withMetric("f1").withCalibration("platt")
                .withClassWeight(ClassWeight.BALANCED);
        try (TrainedModel model = TrainedModel.train(data, spec, "dataset:heart_disease_cleveland", q)) {
            BinaryDecision d = model.decision();
            assertTrue(d.calibrated());
            // the threshold is the best one for F1 on the calibrated validation probabilities
            double[][] pv = model.predict(data.validation().getFeatures());
            double[][] yv = data.validation().getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] p = new double[pv.length];
            double[] y = new double[pv.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = pv[i][d.positive()];
                y[i] = yv[i][d.positive()];
            }
            assertEquals(Objective.F1.bestThreshold(y, p), d.threshold(), 1e-12);
            assertNotEquals(0.5, d.threshold());

            Path zip = dir.resolve("m.zip");
            ModelStore.save(model, zip, false);
            try (TrainedModel back = ModelStore.load(zip)) {
                assertEquals(d, back.decision());
                assertEquals(model.testMetrics().values(), back.testMetrics().values());
            }
            FrozenMicromodel frozen = FrozenMicromodel.load(zip);
            var table = model.pipeline().readCsv(Path.of("../datasets/heart_disease_cleveland.csv"), ',');
            double[][] a = model.predict(table);
            List<String> classes = model.pipeline().task().classes();
            int differentFromArgmax = 0;
            int[] map = new int[frozen.columns().size()];
            for (int j = 0; j < map.length; j++) {
                map[j] = table.indexOf(frozen.columns().get(j));
            }
            for (int i = 0; i < a.length; i++) {
                String[] row = table.row(i);
                String[] raw = new String[map.length];
                for (int j = 0; j < map.length; j++) {
                    raw[j] = row[map[j]];
                }
                Prediction f = frozen.predict(raw);
                assertArrayEquals(a[i], f.values(), 1e-5, "row " + i);
                assertEquals(classes.get(model.predictedClass(a[i])), f.label(), "row " + i);
                if (model.predictedClass(a[i]) != (a[i][0] >= a[i][1] ? 0 : 1)) {
                    differentFromArgmax++;
                }
            }
            assertTrue(differentFromArgmax > 0, "the threshold changes some labels");
        }
    }

    @Test
    void optionsThatDoNotFitTheTaskAreRefused() {
        PreparedData data = Datasets.load("diabetes_progression").prepare(7);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainedModel.train(data, spec, "x", QualityOptions.defaults().withMetric("auc")));
        assertEquals("metric 'auc' does not fit a regression task; use one of [rmse, mae]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainedModel.train(data, spec, "x", QualityOptions.defaults().withClassWeight(ClassWeight.BALANCED)));
        assertTrue(e.getMessage().startsWith("classWeight balanced needs a classification task"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QualityOptions.defaults().withThreshold("1"));
        assertEquals("threshold must be auto or a number in (0, 1), got 1", e.getMessage());
    }
}
