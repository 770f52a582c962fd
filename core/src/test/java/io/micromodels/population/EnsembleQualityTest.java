package io.micromodels.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.Activation;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Platt;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Ensemble#train(PreparedData, MicromodelSpec, int, String, QualityOptions)}: the members train with class
 * weights as one network does, and the calibration and threshold are fitted to the members' averaged validation
 * probabilities (checked by brute force over every candidate threshold).
 */
class EnsembleQualityTest {

    private static MicromodelSpec spec(PreparedData data) {
        // no dropout: the population and the Trainer then draw nothing and agree to float rounding
        return Micromodel.classifier(2).input(data.pipeline().width()).dense(8, Activation.TANH).dense(6, Activation.RELU)
                .adam(1e-2).seed(5).epochs(10).patience(0).batchSize(32).build();
    }

    @Test
    void membersTrainWithTheClassWeightsAsOneNetworkDoes() {
        PreparedData data = Datasets.load("german_credit").prepare(42);   // 30% bad
        QualityOptions balanced = QualityOptions.defaults().withClassWeight(ClassWeight.BALANCED);
        try (TrainedModel ensemble = Ensemble.train(data, spec(data), 2, "german_credit", balanced);
             TrainedModel single = TrainedModel.train(data, spec(data), "german_credit", balanced);
             TrainedModel unweighted = Ensemble.train(data, spec(data), 2, "german_credit")) {
            List<EpochReport> a = single.history().epochs();
            List<EpochReport> b = ensemble.history().epochs();
            assertEquals(a.size(), b.size());
            for (int e = 0; e < a.size(); e++) {
                // the weighted validation loss of member 0 (the spec itself) equals the single network's
                assertEquals(a.get(e).validationLoss(), b.get(e).validationLoss(), 1e-4 * a.get(e).validationLoss(), "epoch " + (e + 1));
            }
            assertNotEquals(a.get(9).validationLoss(), unweighted.history().epochs().get(9).validationLoss(), 1e-3,
                    "without the weights member 0 trains otherwise");
            assertEquals("balanced", ensemble.provenance().recipe().quality().classWeight().flagName());
        }
    }

    private static double[] averagePositive(TrainedModel model, DataSet split, int pos) {
        INDArray x = split.getFeatures().castTo(DataType.FLOAT);
        double[] avg = new double[(int) x.size(0)];
        for (MultiLayerNetwork net : model.members()) {
            double[][] p = net.output(x, false).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < avg.length; i++) {
                avg[i] += p[i][pos] / model.members().size();
            }
        }
        return avg;
    }

    private static double[] labels(DataSet split, int pos) {
        double[][] y = split.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] l = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            l[i] = y[i][pos] > 0.5 ? 1 : 0;
        }
        return l;
    }

    private static double f1(double[] labels, double[] p, double threshold) {
        double tp = 0;
        double fp = 0;
        double fn = 0;
        for (int i = 0; i < p.length; i++) {
            boolean predicted = p[i] >= threshold;
            if (predicted && labels[i] == 1) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i] == 1) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
    }

    @Test
    void calibrationAndThresholdAreFittedToTheAveragedProbabilities() {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        QualityOptions q = QualityOptions.defaults().withMetric("f1").withCalibration("platt")
                .withClassWeight(ClassWeight.BALANCED);
        try (TrainedModel model = Ensemble.train(data, spec(data), 3, "german_credit", q)) {
            int pos = data.pipeline().task().positiveClass();
            BinaryDecision d = model.decision();
            assertTrue(d.calibrated());
            double[] labels = labels(data.validation(), pos);
            double[] avg = averagePositive(model, data.validation(), pos);
            double[] ab = Platt.fit(labels, avg);
            assertEquals(ab[0], d.slope(), 1e-6, "Platt slope of the averaged validation probabilities");
            assertEquals(ab[1], d.intercept(), 1e-6, "Platt intercept");
            double[] calibrated = new double[avg.length];
            for (int i = 0; i < avg.length; i++) {
                calibrated[i] = d.calibrate(avg[i]);
            }
            double chosen = f1(labels, calibrated, d.threshold());
            for (double t : calibrated) {
                assertTrue(f1(labels, calibrated, t) <= chosen + 1e-12, "threshold " + t + " beats the chosen " + d.threshold());
            }
            // the test metrics are those of the averaged, calibrated, thresholded ensemble
            double[] testLabels = labels(data.test(), pos);
            double[] testP = averagePositive(model, data.test(), pos);
            for (int i = 0; i < testP.length; i++) {
                testP[i] = d.calibrate(testP[i]);
            }
            assertEquals(f1(testLabels, testP, d.threshold()), model.testMetrics().get("f1"), 1e-9);
        }
    }
}
