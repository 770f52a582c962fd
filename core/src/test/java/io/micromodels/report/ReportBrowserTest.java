package io.micromodels.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.io.ModelStore;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model report and the study dashboard opened in a real headless Chromium (DevTools protocol): no console
 * errors, every chart with the expected number of points, non-blank screenshots at 1280x800 and at phone width
 * (saved in {@code target/screenshots/}), and the live dashboard showing a trial appended by another thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportBrowserTest {
    static final Path SHOTS = Path.of("target", "screenshots");
    Chromium browser;
    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        browser = Chromium.startOrSkip();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    /** Takes a screenshot, saves it and checks that it is not blank. */
    private void shot(String name) throws Exception {
        byte[] png = browser.screenshot();
        Files.write(SHOTS.resolve(name + ".png"), png);
        double[] ink = Chromium.inked(png);
        assertTrue(ink[0] > 0.02 && ink[1] > 50, name + ": screenshot looks blank: " + ink[0] + " of pixels inked, "
                + (int) ink[1] + " colours");
    }

    /** Number of points in each dataset of chart {@code id}. */
    private int[] points(String id) throws Exception {
        JsonNode n = browser.eval("window.mmCharts['" + id + "'] ? window.mmCharts['" + id
                + "'].data.datasets.map(d => d.data.length) : null");
        assertFalse(n.isNull(), "chart " + id + " is missing");
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private void noOverflowAt(int width) throws Exception {
        browser.viewport(width, 800, width < 600);
        Thread.sleep(300); // Chart.js resizes on the next animation frame
        assertTrue(browser.eval("document.documentElement.scrollWidth <= window.innerWidth + 1").asBoolean(),
                "the page is wider than a " + width + " px window: " + browser.eval("document.documentElement.scrollWidth"));
    }

    @Test
    void modelReportDrawsEveryChartWithTheRightPoints() throws Exception {
        BundledDataset german = Datasets.load("german_credit");
        PreparedData data = german.prepare(42);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(12).patience(50).build();
        Path zip = tmp.resolve("model.zip");
        try (TrainedModel trained = TrainedModel.train(data, spec, "german_credit")) {
            ModelStore.save(trained, zip, false);
        }
        Path page;
        double[][] p;
        int positive;
        try (TrainedModel model = ModelStore.load(zip)) {
            assertEquals(12, model.history().epochs().size(), "history.json round-trips through the zip");
            Table table = german.table();
            page = ModelReport.write(model, "model.zip", table, tmp.resolve("out"), false);
            p = model.predict(table);
            positive = model.pipeline().task().positiveClass();
        }
        browser.viewport(1280, 800, false);
        browser.open(page.toUri().toString());
        assertEquals(List.of(), browser.errors());
        assertEquals(12, points("chart-history")[0], "one point per epoch");
        assertEquals(12, points("chart-history")[1]);
        Set<Double> distinct = new HashSet<>();
        for (double[] row : p) {
            distinct.add(row[positive]);
        }
        assertEquals(distinct.size() + 1, points("chart-roc")[0], "ROC: (0, 0) and one point per distinct score");
        JsonNode last = browser.eval("window.mmCharts['chart-roc'].data.datasets[0].data.at(-1)");
        assertEquals(1.0, last.path("x").asDouble(), 0);
        assertEquals(1.0, last.path("y").asDouble(), 0);
        JsonNode first = browser.eval("window.mmCharts['chart-roc'].data.datasets[0].data[0]");
        assertEquals(0.0, first.path("x").asDouble(), 0);
        assertEquals(distinct.size() + 1, points("chart-pr")[0]);
        int[] cal = points("chart-calibration");
        assertTrue(cal[0] >= 2 && cal[0] <= 10, "calibration bins " + cal[0]);
        assertEquals(table1000Rows(), browser.eval("window.mmCharts['chart-calibration'] && "
                + "JSON.parse(document.getElementById('mm-data').textContent).calibration.count.reduce((a, b) => a + b, 0)").asInt());
        assertEquals(2, points("chart-classes")[0]);
        assertEquals(20, points("chart-importance")[0], "one bar per input column of german_credit");
        assertEquals(20, points("chart-shap")[0], "one SHAP bar per input column of german_credit");
        assertTrue(browser.eval("JSON.parse(document.getElementById('mm-data').textContent).shap.meanAbs.every("
                + "(v, i, a) => v >= 0 && (i === 0 || a[i - 1] >= v))").asBoolean(), "mean |SHAP| sorted, non-negative");
        assertEquals(3, browser.eval("document.querySelectorAll('#confusion tr').length").asInt(), "header and two classes");
        assertEquals(0, browser.eval("[...document.querySelectorAll('canvas')].filter(c => c.width === 0 || c.height === 0).length")
                .asInt(), "every canvas has a size");
        shot("report-1280");
        noOverflowAt(390);
        shot("report-phone");
        assertEquals(List.of(), browser.errors());

        // the report train writes: the test split, and the data report of the preparation with class shares per split
        Path trainReport;
        try (TrainedModel model = ModelStore.load(zip)) {
            trainReport = ModelReport.write(model, "model.zip", data, tmp.resolve("train-out"), false);
        }
        browser.viewport(1280, 800, false);
        browser.open(trainReport.toUri().toString());
        assertEquals(List.of(), browser.errors());
        assertEquals(data.test().numExamples(), browser.eval("JSON.parse(document.getElementById('mm-data').textContent)"
                + ".calibration.count.reduce((a, b) => a + b, 0)").asInt(), "curves on the test split");
        assertEquals(3, points("chart-classes").length, "train, validation and test shares");
        assertEquals(data.report().trainRows(), browser.eval("window.mmCharts['chart-classes'].data.datasets[0].data"
                + ".reduce((a, b) => a + b, 0)").asInt());
        JsonNode rocEnd = browser.eval("window.mmCharts['chart-roc'].data.datasets[0].data.at(-1)");
        assertEquals(1.0, rocEnd.path("x").asDouble(), 0);
        assertEquals(1.0, rocEnd.path("y").asDouble(), 0);
    }

    @Test
    void regressionReportDrawsPredictedAgainstActualAndResiduals() throws Exception {
        PreparedData data = Datasets.load("diabetes_progression").prepare(42);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(5).patience(50).build();
        Path page;
        try (TrainedModel model = TrainedModel.train(data, spec, "diabetes_progression")) {
            page = ModelReport.write(model, "regressor.zip", data, tmp.resolve("regression-out"), false);
        }
        browser.viewport(1280, 800, false);
        browser.open(page.toUri().toString());
        assertEquals(List.of(), browser.errors());
        int rows = data.test().numExamples();
        assertEquals(rows, points("chart-predicted")[0], "one point per test row");
        assertEquals(rows, points("chart-residuals")[0]);
        assertTrue(browser.eval("window.mmCharts['chart-roc'] === undefined").asBoolean(), "no ROC curve for regression");
        // residual = actual - predicted, in the target's units
        JsonNode p0 = browser.eval("window.mmCharts['chart-predicted'].data.datasets[0].data[0]");
        JsonNode r0 = browser.eval("window.mmCharts['chart-residuals'].data.datasets[0].data[0]");
        assertEquals(p0.path("x").asDouble() - p0.path("y").asDouble(), r0.path("y").asDouble(), 1e-9);
        assertEquals(p0.path("y").asDouble(), r0.path("x").asDouble(), 0);
        shot("report-regression");
    }

    private static int table1000Rows() {
        return Datasets.load("german_credit").table().rowCount();
    }

    private static String trial(int number, double score, TrialStatus status, int width, double lr) {
        return trial(number, score, status, width, lr, 1, Activation.RELU, 0.1, 1e-5, 1e-4, 32);
    }

    private static String trial(int number, double score, TrialStatus status, int width, double lr, int depth,
                                Activation activation, double drop, double l1, double l2, int batch) {
        Micromodel m = Micromodel.classifier(2).input(6);
        for (int i = 0; i < depth; i++) {
            m.dense(width, activation).dropout(drop);
        }
        MicromodelSpec spec = m.adam(lr).l1(l1).l2(l2).batchSize(batch).epochs(20).build();
        return new TrialRecord("s1-" + number, number, new double[] {0.5, 0.25}, spec, spec.seed(), score, "auc", 10, 5,
                1.0, 1.5, status, status == TrialStatus.COMPLETE ? "" : "loss became NaN at epoch 3").toJsonLine();
    }

    /** A study's trial {@code number} with varied hyperparameters, its score a smooth function of them plus noise. */
    private static String variedTrial(int number, java.util.SplittableRandom r) {
        double lr = Math.pow(10, -4 + 3 * r.nextDouble());
        int width = (int) Math.round(Math.pow(2, 2 + 5 * r.nextDouble()));
        int depth = 1 + r.nextInt(3);
        Activation act = List.of(Activation.RELU, Activation.TANH, Activation.ELU).get(r.nextInt(3));
        double drop = 0.5 * r.nextDouble();
        double l1 = Math.pow(10, -7 + 5 * r.nextDouble());
        double l2 = Math.pow(10, -7 + 5 * r.nextDouble());
        int batch = List.of(32, 64, 128, 256).get(r.nextInt(4));
        double score = 0.80 - 0.03 * Math.pow(Math.log10(lr) + 2.5, 2) - 0.1 * drop * drop - 0.01 * (depth - 1)
                + 0.01 * r.nextGaussian();
        return trial(number, score, TrialStatus.COMPLETE, width, lr, depth, act, drop, l1, l2, batch);
    }

    private static Path study(Path dir, String... lines) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("study.json"), "{\"format\":1,\"id\":\"s1\",\"metric\":\"auc\",\"options\":{\"trials\":20}}");
        Files.writeString(dir.resolve("trials.jsonl"), String.join("", lines));
        return dir;
    }

    private static String line(String json) {
        return json.endsWith("\n") ? json : json + "\n";
    }

    @Test
    void liveDashboardShowsATrialAppendedWhileItReads() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        StringBuilder lines = new StringBuilder();
        double best = Double.NEGATIVE_INFINITY;
        int bestNumber = 0;
        for (int i = 1; i <= 12; i++) {
            String t = i == 5 ? trial(5, 0.0 / 0.0, TrialStatus.FAILED, 64, 1e-1) : variedTrial(i, random);
            lines.append(line(t));
            double score = TrialRecord.fromJson(t).score();
            if (score > best) {
                best = score;
                bestNumber = i;
            }
        }
        Path dir = study(tmp.resolve("study"), lines.toString());
        try (StudyDashboard d = StudyDashboard.start(dir, 0)) {
            assertEquals("127.0.0.1", d.uri().getHost());
            browser.viewport(1280, 800, false);
            browser.open(d.uri().toString());
            assertEquals(List.of(), browser.errors());
            assertEquals(11, points("chart-history")[0], "one point per finished trial");
            assertEquals(11, points("chart-history")[1], "best so far per finished trial");
            assertEquals(best, browser.eval("window.mmCharts['chart-history'].data.datasets[1].data.at(-1).y").asDouble(), 0);
            assertEquals(11, points("chart-parallel").length, "one line per finished trial");
            assertEquals(8, points("chart-importance")[0]);
            assertEquals(11, points("chart-slice-width")[0]);
            assertEquals(13, browser.eval("document.querySelectorAll('#trials tr').length").asInt(), "header and 12 trials");
            browser.eval("(() => { const f = document.getElementById('filter'); f.value = 'failed';"
                    + " f.dispatchEvent(new Event('input')); return 1; })()");
            assertEquals(2, browser.eval("document.querySelectorAll('#trials tr').length").asInt(), "filtered to the failed trial");
            browser.eval("(() => { const f = document.getElementById('filter'); f.value = '';"
                    + " f.dispatchEvent(new Event('input')); document.querySelector('th[data-k=score]').click();"
                    + " document.querySelector('th[data-k=score]').click(); return 1; })()");
            assertEquals(String.valueOf(bestNumber), browser.eval("document.querySelectorAll('#trials tr')[1].cells[0].textContent")
                    .asText(), "sorted by score, best first");
            assertEquals("5", browser.eval("document.querySelectorAll('#trials tr')[12].cells[0].textContent").asText(),
                    "the failed trial (no score) last");
            shot("dashboard-1280");

            // another writer appends trial 13 in two parts, as a slow write would land
            double next13 = best + 0.01;
            byte[] next = line(trial(13, next13, TrialStatus.COMPLETE, 24, 2e-3)).getBytes(StandardCharsets.UTF_8);
            Thread writer = new Thread(() -> {
                try (OutputStream o = Files.newOutputStream(dir.resolve("trials.jsonl"), StandardOpenOption.APPEND)) {
                    o.write(next, 0, next.length / 2);
                    o.flush();
                    Thread.sleep(1500);
                    o.write(next, next.length / 2, next.length - next.length / 2);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            Thread.sleep(1200); // the page polls at least once while half a line is in the file
            assertEquals(11, points("chart-history")[0], "half a line is not a trial");
            writer.join();
            long done = System.nanoTime();
            int seen = 0;
            while (System.nanoTime() - done < 2_000_000_000L) {
                seen = points("chart-history")[0];
                if (seen == 12) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(12, seen, "the appended trial appears within 2 s");
            assertEquals(next13, browser.eval("window.mmCharts['chart-history'].data.datasets[1].data.at(-1).y").asDouble(), 0);
            noOverflowAt(390);
            shot("dashboard-phone");
            assertEquals(List.of(), browser.errors());
        }
    }

    @Test
    void staticStudyReportHasTheSameCharts() throws Exception {
        Path dir = study(tmp.resolve("static"), line(trial(1, 0.70, TrialStatus.COMPLETE, 8, 1e-3)),
                line(trial(2, 0.60, TrialStatus.COMPLETE, 64, 1e-1)));
        Path page = StudyDashboard.writeStatic(dir, tmp.resolve("static-out"), false);
        browser.viewport(1280, 800, false);
        browser.open(page.toUri().toString());
        assertEquals(2, points("chart-history")[0]);
        assertEquals(0, points("chart-importance")[0], "no estimate from fewer than 3 trials");
        assertEquals(List.of(), browser.errors());
    }
}
