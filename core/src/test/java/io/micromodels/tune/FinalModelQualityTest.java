package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.PreparedData;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.io.ModelStore;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.Activation;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.Platt;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The final model of a tuned study honours the quality options: {@code tune --ensemble N} decides on the validation
 * split from the averaged ensemble output exactly as {@code train --ensemble N} does; {@code tune --cv K} fits its
 * calibration and threshold on out-of-fold predictions (checked against fold models trained one by one here); the
 * recipe records the options; the refit keeps the fold models' learning-rate schedule.
 */
class FinalModelQualityTest {

    private static final QualityOptions F1_BALANCED = QualityOptions.defaults().withMetric("f1")
            .withClassWeight(ClassWeight.BALANCED);

    private static StudyOptions options(Path csv, int trials) {
        return StudyOptions.forCsv(csv.toString(), "y").withGenerator(GeneratorKind.RANDOM).withTrials(trials)
                .withEpochs(25, 5).withSpace(StudyTest.SMALL).withSeed(9);
    }

    /** {@code [n]} 1 for the positive class. */
    private static double[] labels(INDArray y, int pos) {
        double[][] m = y.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] l = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            l[i] = (m[i].length == 1 ? m[i][0] : m[i][pos]) > 0.5 ? 1 : 0;
        }
        return l;
    }

    /** The positive-class probability of each row, averaged over the networks. */
    private static double[] averagePositive(List<MultiLayerNetwork> nets, INDArray features, int pos) {
        INDArray x = features.castTo(DataType.FLOAT);
        double[] avg = new double[(int) x.size(0)];
        for (MultiLayerNetwork net : nets) {
            double[][] p = net.output(x, false).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < avg.length; i++) {
                avg[i] += (p[i].length == 1 ? p[i][0] : p[i][pos]) / nets.size();
            }
        }
        return avg;
    }

    /** F1 of the positive class when {@code p >= t} predicts positive (written out, not our Scores). */
    private static double f1(double[] labels, double[] p, double t) {
        double tp = 0;
        double fp = 0;
        double fn = 0;
        for (int i = 0; i < p.length; i++) {
            boolean yes = p[i] >= t;
            if (yes && labels[i] == 1) {
                tp++;
            } else if (yes) {
                fp++;
            } else if (labels[i] == 1) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
    }

    /** The best F1 over every candidate threshold (each score, and above them all), by brute force. */
    private static double bestF1(double[] labels, double[] p) {
        double best = f1(labels, p, 2);
        for (double t : p) {
            best = Math.max(best, f1(labels, p, t));
        }
        return best;
    }

    @Test
    void anEnsembleStudyDecidesOnTheAveragedValidationOutputAsTrainEnsembleDoes(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 300, 4);
        StudyOptions o = options(csv, 2).withEnsemble(3).withQuality(F1_BALANCED);
        try (Study study = Study.create(tmp.resolve("study"), o).setPopulation(3)) {
            study.run(StudyTest.QUIET);
            TrialRecord best = study.best().orElseThrow();
            PreparedData data = study.data();
            int pos = data.task().positiveClass();
            try (TrainedModel model = study.saveBest()) {
                assertEquals(3, model.members().size());
                BinaryDecision d = model.decision();
                double[] y = labels(data.validation().getLabels(), pos);
                double[] avg = averagePositive(model.members(), data.validation().getFeatures(), pos);
                double chosen = f1(y, avg, d.threshold());
                assertEquals(bestF1(y, avg), chosen, 1e-12, "threshold " + d.threshold() + " maximises the validation F1"
                        + " of the saved ensemble's averaged probabilities");
                assertNotEquals(0.5, d.threshold(), "a threshold was chosen");
                // the saved model records the options
                try (TrainedModel loaded = ModelStore.load(study.bestModelPath())) {
                    Recipe r = loaded.provenance().recipe();
                    assertEquals(o.quality(), r.quality());
                    assertEquals(Recipe.ENSEMBLE, r.trainer());
                    assertEquals(3, r.members());
                    assertEquals(d, loaded.decision());
                }
                // train --ensemble on the same configuration (what Retrain runs for an ensemble recipe, on the data
                // prepared again from the CSV): the same decision and test metrics
                try (TrainedModel retrained = io.micromodels.io.Retrain.from(study.bestModelPath(), csv)) {
                    assertEquals(best.spec(), retrained.spec());
                    assertEquals(d, retrained.decision());
                    assertEquals(model.testMetrics().get("f1"), retrained.testMetrics().get("f1"), 1e-12);
                }
            }
        }
    }

    @Test
    void aCrossValidatedStudyCalibratesAndThresholdsOnOutOfFoldPredictions(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 6);
        QualityOptions q = F1_BALANCED.withCalibration("platt");
        StudyOptions o = options(csv, 2).withCv(CrossValidation.folds(3)).withEnsemble(2).withQuality(q);
        try (Study study = Study.create(tmp.resolve("study"), o).setPopulation(2)) {
            study.run(StudyTest.QUIET);
            TrialRecord best = study.best().orElseThrow(() -> new AssertionError("no trial completed"));
            PreparedData data = study.data();
            int pos = data.task().positiveClass();
            // independent out-of-fold predictions: each member seed on each fold trained alone, on the weighted rows
            double[] cw = ClassWeight.BALANCED.classWeights(data.train().getLabels());
            PreparedData weighted = new PreparedData(ClassWeight.weighted(data.train(), cw),
                    ClassWeight.weighted(data.validation(), cw), data.test(), data.pipeline(), data.report(), data.sha256(),
                    data.raw(), data.options());
            CrossValidatedTrialExecutor.CvData d = CrossValidatedTrialExecutor.folds(weighted, o.cv(), o.seed());
            List<MicromodelSpec> members = TrainedModel.ensembleSpecs(best.spec(), 2);
            int n = d.pool().numExamples();
            double[] oof = new double[n];
            for (int f = 0; f < 3; f++) {
                DataSet train = CrossValidatedTrialExecutor.rows(d.pool(), d.folds().train(f));
                DataSet validation = CrossValidatedTrialExecutor.rows(d.pool(), d.folds().validation(f));
                for (MicromodelSpec m : members) {
                    try (PopulationResult alone = Population.fit(List.of(m), train, validation,
                            PopulationOptions.defaults(best.spec().seed()).withRecordTrainingLoss(false))) {
                        double[] p = averagePositive(List.of(alone.member(0).network()), validation.getFeatures(), pos);
                        int[] rows = d.folds().validation(f);
                        for (int i = 0; i < rows.length; i++) {
                            oof[rows[i]] += p[i] / members.size();
                        }
                    }
                }
            }
            double[] y = labels(d.pool().getLabels(), pos);
            double[] ab = Platt.fit(y, oof);
            try (TrainedModel model = study.saveBest()) {
                BinaryDecision dec = model.decision();
                assertTrue(dec.calibrated());
                assertEquals(ab[0], dec.slope(), 2e-3 * Math.max(1, Math.abs(ab[0])), "Platt slope on the out-of-fold predictions");
                assertEquals(ab[1], dec.intercept(), 2e-3 * Math.max(1, Math.abs(ab[1])), "Platt intercept");
                double[] calibrated = new double[n];
                for (int i = 0; i < n; i++) {
                    double c = Math.min(Math.max(oof[i], 1e-15), 1 - 1e-15);
                    calibrated[i] = 1 / (1 + Math.exp(-(ab[0] * Math.log(c / (1 - c)) + ab[1])));
                    assertEquals(calibrated[i], dec.calibrate(oof[i]), 1e-3, "the saved calibrator maps like the independent one");
                }
                // the threshold maximises the F1 of the calibrated out-of-fold probabilities (brute force)
                assertEquals(bestF1(y, calibrated), f1(y, calibrated, dec.threshold()), 1e-9,
                        "threshold " + dec.threshold());
                assertEquals(2, model.members().size());
                assertEquals(0, model.spec().patience());
                try (TrainedModel loaded = ModelStore.load(study.bestModelPath())) {
                    Recipe r = loaded.provenance().recipe();
                    assertEquals(q, r.quality());
                    assertEquals(2, r.members());
                    assertEquals(dec, loaded.decision());
                }
                // the test metrics are those of the refit ensemble's average with the decision
                double[] testY = labels(data.test().getLabels(), pos);
                double[] testP = averagePositive(model.members(), data.test().getFeatures(), pos);
                for (int i = 0; i < testP.length; i++) {
                    testP[i] = dec.calibrate(testP[i]);
                }
                assertEquals(f1(testY, testP, dec.threshold()), model.testMetrics().get("f1"), 1e-9);
            }
        }
    }

    @Test
    void withTheDefaultOptionsACrossValidatedRefitDecidesNothingAndRecordsTheOptions(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 3);
        QualityOptions fixed = QualityOptions.defaults().withThreshold("0.3");
        StudyOptions o = options(csv, 1).withCv(CrossValidation.folds(3)).withQuality(fixed);
        try (Study study = Study.create(tmp.resolve("study"), o).setPopulation(1)) {
            study.run(StudyTest.QUIET);
            try (TrainedModel model = study.saveBest()) {
                assertEquals(0.3, model.decision().threshold());
                assertFalse(model.decision().calibrated());
                assertEquals(fixed, model.provenance().recipe().quality());
            }
        }
    }

    @Test
    void theRefitRunsTheFirstEpochsOfTheFoldModelsSchedule() {
        // cosine over 40 epochs, no warm-up: lr_e = a (1 + cos(pi e / 40)) / 2 for every fold model
        double a = 0.01;
        MicromodelSpec spec = Micromodel.classifier(2).input(3).dense(4, Activation.TANH).adam(a)
                .schedule(LearningRateSchedule.cosine(0)).epochs(40).patience(5).build();
        MicromodelSpec refit = Study.withEpochs(spec, 10);
        assertEquals(10, refit.epochs());
        assertEquals(0, refit.patience());
        assertEquals(40, refit.updater().scheduleEpochs());
        for (int e : new int[] {0, 3, 9}) {
            double expected = a * (1 + Math.cos(Math.PI * e / 40)) / 2;
            // the population trainer's rate
            assertEquals(expected, refit.updater().learningRate(e, refit.epochs()), 1e-15, "epoch " + e);
            // DL4J's configured updater (the single-network trainer), at some iteration of epoch e
            org.nd4j.linalg.learning.config.IUpdater u = refit.updater().toDl4j(refit.epochs());
            assertEquals(expected, u.getLearningRate(123, e), 1e-15, "DL4J epoch " + e);
        }
        // the squeezed schedule the refit had before: over its own 10 epochs
        assertNotEquals(a * (1 + Math.cos(Math.PI * 9 / 40)) / 2, spec.updater().learningRate(9, 10), 1e-6);
        // a constant rate needs no horizon: the spec stays as it was
        MicromodelSpec constant = Micromodel.classifier(2).input(3).adam(a).epochs(40).build();
        assertEquals(0, Study.withEpochs(constant, 10).updater().scheduleEpochs());
    }
}
