package io.micromodels.explain;

import io.micromodels.data.PipelineCompiler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Scores;
import io.micromodels.train.TrainedModel;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link ModelExplainer} on real trained micromodels: fidelity to DL4J, local accuracy, linear SHAP, display. */
class ModelExplainerTest {

    static PreparedData german;
    static TrainedModel germanModel;
    static PreparedData diabetes;
    static TrainedModel diabetesModel;

    @BeforeAll
    static void train() {
        german = Datasets.load("german_credit").prepare(42);
        germanModel = TrainedModel.train(german, brief(TrainedModel.defaultSpec(german)), "german_credit");
        diabetes = Datasets.load("diabetes_progression").prepare(42);
        diabetesModel = TrainedModel.train(diabetes, brief(TrainedModel.defaultSpec(diabetes)), "diabetes_progression");
    }

    @AfterAll
    static void close() {
        germanModel.close();
        diabetesModel.close();
    }

    /** The default spec, trained for a few epochs only: enough for a non-trivial function. */
    static MicromodelSpec brief(MicromodelSpec spec) {
        return Micromodel.from(spec).epochs(15).patience(0).build();
    }

    @Test
    void binaryOutputMatchesDl4jWithin1e5() {
        ModelExplainer m = Explainer.model(germanModel);
        assertEquals("P(class = bad)", m.outputName());
        int pos = german.task().positiveClass();
        assertEquals(pos, m.explainedClass());
        double[][] x = ModelExplainer.rows(german.test().getFeatures());
        double[] ours = m.model().predict(x);
        double[][] dl4j = germanModel.predict(german.test().getFeatures());
        double maxDiff = 0;
        for (int i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - dl4j[i][pos]));
        assertTrue(maxDiff <= 1e-5, "max |frozen - DL4J| = " + maxDiff);
        // the other class is the complement
        ModelExplainer good = Explainer.model(germanModel, "good");
        double[] g = good.model().predict(x);
        for (int i = 0; i < x.length; i++) assertEquals(dl4j[i][1 - pos], g[i], 1e-5);
    }

    @Test
    void sigmoidBinaryOutputMatchesDl4j() {
        PreparedData heart = Datasets.load("heart_disease_cleveland").prepare(42);
        MicromodelSpec spec = Micromodel.binary().input(heart.pipeline().width())
                .dense(16, io.micromodels.frozen.Activation.TANH).epochs(10).patience(0).seed(3).build();
        try (TrainedModel model = TrainedModel.train(heart, spec, "heart")) {
            double[][] x = ModelExplainer.rows(heart.test().getFeatures());
            double[][] dl4j = model.predict(heart.test().getFeatures());
            for (String c : heart.task().classes()) {
                ModelExplainer m = Explainer.model(model, c);
                double[] ours = m.model().predict(x);
                int k = heart.task().classes().indexOf(c);
                for (int i = 0; i < x.length; i++) assertEquals(dl4j[i][k], ours[i], 1e-5, "class " + c + " row " + i);
            }
        }
    }

    @Test
    void regressionOutputIsInOriginalUnitsAndMatchesDl4j() {
        ModelExplainer m = Explainer.model(diabetesModel);
        assertEquals("progression", m.outputName());
        assertEquals(-1, m.explainedClass());
        double[][] x = ModelExplainer.rows(diabetes.test().getFeatures());
        double[] ours = m.model().predict(x);
        double[][] dl4j = diabetesModel.predict(diabetes.test().getFeatures());
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            // float32 carries ~7 digits, so compare relative to the magnitude (~25..350)
            assertEquals(dl4j[i][0], ours[i], 1e-5 * Math.max(1, Math.abs(dl4j[i][0])), "row " + i);
            sum += ours[i];
        }
        assertTrue(sum / x.length > 50, "mean prediction " + sum / x.length + " should be in progression units");
    }

    @Test
    void localAccuracyOnRealModels() {
        // diabetes: 10 features, exact SHAP
        ModelExplainer d = Explainer.model(diabetesModel);
        ShapExplainer exact = d.shap(d.background(diabetes.train().getFeatures(), BackgroundOptions.DEFAULTS));
        double[][] dx = ModelExplainer.rows(diabetes.test().getFeatures());
        for (int i = 0; i < 5; i++) {
            ShapExplanation e = exact.explain(dx[i]);
            assertEquals(e.output(), e.reconstructedOutput(), 1e-6, "diabetes row " + i);
            assertEquals(d.model().predict(new double[][] {dx[i]})[0], e.output(), 1e-12);
        }
        // german credit: 20 features, Kernel SHAP (efficiency enforced as a constraint)
        ShapExplainer kernel = Explainer.shap(germanModel, german.train().getFeatures());
        assertEquals(20, kernel.groups().size());
        double[][] gx = ModelExplainer.rows(german.test().getFeatures());
        ShapExplanations many = kernel.explain(java.util.Arrays.copyOf(gx, 3));
        for (ShapExplanation e : many.rows()) assertEquals(e.output(), e.reconstructedOutput(), 1e-6);
    }

    @Test
    void groupsFollowThePipelineAndShowRawValues() throws Exception {
        ModelExplainer m = Explainer.model(germanModel);
        FeatureGroups g = m.groups();
        assertEquals(german.pipeline().inputColumns(), g.names());
        assertEquals(german.pipeline().width(), g.width());
        Table table = german.pipeline().readCsv(io.micromodels.TestPaths.dataset("german_credit.csv"), ',');
        double[][] x = m.features(table);
        String[] raw = table.row(0);
        for (int f = 0; f < g.size(); f++) {
            String col = g.name(f);
            String cell = raw[table.indexOf(col)];
            String shown = g.displayValue(f, x[0]);
            if (german.pipeline().columnKinds().get(col).isNumeric()) {
                assertEquals(Double.parseDouble(cell), g.featureValue(f, x[0]), 1e-9, col);
                assertEquals(cell, shown, col);
            } else {
                assertEquals(cell, shown, col);
            }
        }
        // the level list of a categorical group names its one-hot columns
        int checking = g.names().indexOf("checking_status");
        assertEquals(german.pipeline().levels("checking_status"), g.levels(checking));
    }

    @Test
    void unseenLevelIsShownAsUnseen() {
        ModelExplainer m = Explainer.model(germanModel);
        List<String> header = german.pipeline().inputColumns();
        String[] row = Table.read(io.micromodels.TestPaths.dataset("german_credit.csv"), ',').row(0);
        Table full = Table.read(io.micromodels.TestPaths.dataset("german_credit.csv"), ',');
        String[] cells = new String[header.size()];
        for (int j = 0; j < header.size(); j++) cells[j] = row[full.indexOf(header.get(j))];
        cells[header.indexOf("purpose")] = "spaceship";
        double[][] x = m.features(Table.of("t", header, List.<String[]>of(cells)));
        assertEquals("unseen", m.groups().displayValue(m.groups().names().indexOf("purpose"), x[0]));
    }

    @Test
    void missingCellsAreShownAsImputed() {
        ModelExplainer m = Explainer.model(germanModel);
        Table full = Table.read(io.micromodels.TestPaths.dataset("german_credit.csv"), ',');
        String[] cells = full.row(0);
        cells[full.indexOf("duration")] = "";
        Table t = Table.of("t", full.header(), List.<String[]>of(cells));
        double[][] x = m.features(t);
        ShapExplainer shap = m.shap(m.background(german.train().getFeatures(), BackgroundOptions.DEFAULTS.withBackgroundSize(10)));
        ShapExplanation e = m.markMissing(shap.explain(x[0]), t, 0);
        int d = m.groups().names().indexOf("duration");
        assertTrue(e.featureValueLabels().get(d).startsWith("missing (imputed as "), e.featureValueLabels().get(d));
        assertTrue(Double.isNaN(e.featureValues()[d]));
        int a = m.groups().names().indexOf("age");
        assertEquals("67", e.featureValueLabels().get(a));
    }

    @Test
    void permutationImportanceUsesTheTaskMetric() {
        ModelExplainer m = Explainer.model(germanModel, "good");
        assertEquals("AUC", m.metric().name());
        double[] y = m.targets(german.test().getLabels());
        double positives = java.util.Arrays.stream(y).sum();
        assertTrue(positives > 0 && positives < y.length);
        PermutationImportance pi = Explainer.permutationImportance(germanModel, german.test(),
                PermutationOptions.DEFAULTS.withRepeats(3));
        assertEquals(20, pi.featureNames().size());
        assertEquals(3, pi.losses()[0].length);
        // the baseline is the test AUC of P(bad), whichever class is explained
        double auc = Scores.auc(y, m.metricModel().predict(ModelExplainer.rows(german.test().getFeatures())));
        assertEquals(auc, pi.baselineScore(), 1e-12);
        assertTrue(auc > 0.6, "test AUC " + auc);

        ModelExplainer r = Explainer.model(diabetesModel);
        assertEquals("RMSE", r.metric().name());
        double[] t = r.targets(diabetes.test().getLabels());
        assertTrue(java.util.Arrays.stream(t).average().orElseThrow() > 50, "targets in original units");
    }

    @Test
    void multiclassExplainsOneClassAndPermutesWithAccuracy() {
        StringBuilder csv = new StringBuilder("u,v,kind,y\n");
        Random r = new Random(11);
        String[] kinds = {"p", "q"};
        for (int i = 0; i < 300; i++) {
            double u = r.nextGaussian();
            double v = r.nextGaussian();
            String y = u > 0.5 ? "high" : u < -0.5 ? "low" : v > 0 ? "mid" : "low";
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%s%n", u, v, kinds[r.nextInt(2)], y));
        }
        PreparedData data = DataPipeline.prepare(new StringReader(csv.toString()), "three.csv", DataOptions.of("y"));
        assertEquals(3, data.task().classes().size());
        try (TrainedModel model = TrainedModel.train(data, brief(TrainedModel.defaultSpec(data)), "three.csv")) {
            double[][] x = ModelExplainer.rows(data.test().getFeatures());
            double[][] p = model.predict(data.test().getFeatures());
            List<String> classes = data.task().classes();
            ModelExplainer first = Explainer.model(model);
            assertEquals(0, first.explainedClass());
            assertEquals("P(y = " + classes.get(0) + ")", first.outputName());
            ModelExplainer third = Explainer.model(model, classes.get(2));
            double[] p0 = first.model().predict(x);
            double[] p2 = third.model().predict(x);
            double[] predicted = first.metricModel().predict(x);
            for (int i = 0; i < x.length; i++) {
                assertEquals(p[i][0], p0[i], 1e-5);
                assertEquals(p[i][2], p2[i], 1e-5);
                int best = 0;
                for (int k = 1; k < 3; k++) if (p[i][k] > p[i][best]) best = k;
                assertEquals(best, predicted[i], 0.0, "row " + i);
            }
            assertEquals("accuracy", first.metric().name());
            double[] y = first.targets(data.test().getLabels());
            PermutationImportance pi = first.permutationImportance(data.test(), PermutationOptions.DEFAULTS);
            assertEquals(Scores.classAccuracy(y, predicted), pi.baselineScore(), 1e-12);
            assertEquals("u", pi.ranking().get(0));
        }
    }

    @Test
    void classChoiceIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Explainer.model(germanModel, "maybe"));
        assertTrue(e.getMessage().contains("unknown class 'maybe'") && e.getMessage().contains("good"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Explainer.model(diabetesModel, "x"));
        assertTrue(e.getMessage().contains("regression"), e.getMessage());
    }

    /**
     * A linear micromodel (no hidden layer, identity output) on a regression target: the network is
     * z = b + w . x on standardised features and the output is y = z * std_y + mean_y, so exact SHAP
     * of numeric column i is std_y * w_i * (x_i - mean over the background of x_i), and of a one-hot
     * group the same sum over its columns.
     */
    @Test
    void linearMicromodelShapIsWeightTimesDeviation() {
        StringBuilder csv = new StringBuilder("a,b,c,colour,t\n");
        Random r = new Random(5);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 400; i++) {
            double a = r.nextGaussian() * 3 + 10;
            double b = r.nextGaussian();
            double c = r.nextDouble() * 100;
            int k = r.nextInt(3);
            double t = 200 + 4 * a - 7 * b + 0.2 * c + 15 * k + r.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.3f,%s,%.3f%n", a, b, c, colours[k], t));
        }
        PreparedData data = DataPipeline.prepare(new StringReader(csv.toString()), "linear.csv", DataOptions.of("t"));
        int d = data.pipeline().width();
        MicromodelSpec spec = Micromodel.regressor().input(d).adam(0.05).epochs(20).patience(0).seed(4).build();
        try (TrainedModel model = TrainedModel.train(data, spec, "linear.csv")) {
            assertEquals(0, model.spec().hidden().size());
            double[] w = model.network().getLayer(0).getParam("W").castTo(DataType.DOUBLE).ravel().toDoubleVector();
            assertEquals(d, w.length);
            double stdY = PipelineCompiler.compile(model.pipeline()).inverseTarget()[1];
            ModelExplainer m = Explainer.model(model);
            Background bg = m.background(data.train().getFeatures(), BackgroundOptions.DEFAULTS.withBackgroundSize(50));
            double[][] rows = bg.rows();
            double[] mean = new double[d];
            for (double[] row : rows) for (int j = 0; j < d; j++) mean[j] += row[j] / rows.length;
            ShapExplainer shap = m.shap(bg);
            double[][] test = ModelExplainer.rows(data.test().getFeatures());
            FeatureGroups g = m.groups();
            assertEquals(List.of("a", "b", "c", "colour"), g.names());
            for (int i = 0; i < 10; i++) {
                ShapExplanation e = shap.explain(test[i]);
                for (int f = 0; f < g.size(); f++) {
                    double expected = 0;
                    for (int c : g.columns(f)) expected += stdY * w[c] * (test[i][c] - mean[c]);
                    assertEquals(expected, e.values()[f], 1e-6, "row " + i + " feature " + g.name(f));
                }
            }
        }
    }

    @Test
    void rowsChecksShape() {
        ModelExplainer m = Explainer.model(germanModel);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.background(new double[][] {{1, 2, 3}}, BackgroundOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("3 columns") && e.getMessage().contains(String.valueOf(m.width())), e.getMessage());
    }
}
