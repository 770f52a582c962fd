package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.CompiledPipeline;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled frozen pipeline gives the same features as {@link FittedPipeline#transform} on every row of every bundled
 * dataset, and the JSON round trips of both forms give identical transforms.
 */
class FrozenParityTest {

    @Test
    void frozenMatchesDataVecOnEveryRowOfEveryBundledDataset() {
        for (String name : Datasets.names()) {
            BundledDataset d = Datasets.load(name);
            assertParity(name, d, d.prepare(42), Integer.MAX_VALUE);
        }
    }

    @Test
    void quantileAndPiecewiseLinearMatchOnEveryRowOfEveryBundledDataset() {
        for (Normalization n : List.of(Normalization.QUANTILE, Normalization.PIECEWISE_LINEAR)) {
            for (String name : Datasets.names()) {
                BundledDataset d = Datasets.load(name);
                PreparedData prepared = d.prepare(d.options().withSeed(42).withNormalization(n));
                assertEquals(n, prepared.pipeline().normalization());
                for (org.nd4j.linalg.dataset.DataSet split : List.of(prepared.train(), prepared.validation(), prepared.test())) {
                    assertEquals(prepared.pipeline().width(), split.getFeatures().size(1), name);
                }
                assertParity(name + " " + n, d, prepared, 4000);
                FittedPipeline p = prepared.pipeline();
                FittedPipeline back = PipelineJson.fromJson(PipelineJson.toJson(p));
                assertEquals(PipelineJson.toJson(p), PipelineJson.toJson(back), name);
                assertEquals(PipelineCompiler.compile(p), PipelineCompiler.compile(back), name);
                Table table = d.table();
                Table head = Table.of(name, table.header(), table.rows().subList(0, Math.min(200, table.rowCount())));
                assertEquals(p.transform(head, DataType.DOUBLE), back.transform(head, DataType.DOUBLE), name);
            }
        }
    }

    @Test
    void dateTrendMatchesOnTheTrafficDataAndRoundTrips() {
        BundledDataset d = Datasets.load("metro_i94_traffic");
        PreparedData off = d.prepare(d.options().withSeed(42));
        PreparedData on = d.prepare(d.options().withSeed(42).toBuilder().dateTrend(true).build());
        assertEquals(off.pipeline().width() + 1, on.pipeline().width());
        assertTrue(!PipelineJson.toJson(off.pipeline()).contains("trend"));
        assertParity("metro_i94_traffic dateTrend", d, on, 4000);
        FittedPipeline p = on.pipeline();
        FittedPipeline back = PipelineJson.fromJson(PipelineJson.toJson(p));
        assertEquals(PipelineJson.toJson(p), PipelineJson.toJson(back));
        assertEquals(PipelineCompiler.compile(p), PipelineCompiler.compile(back));
        // The trend feature of the training split is standardised: mean 0, population std 1 (float32 features).
        int k = p.featureNames().stream().filter(n -> n.endsWith(":trend")).mapToInt(p.featureNames()::indexOf).findFirst().orElseThrow();
        double[] col = on.train().getFeatures().getColumn(k).toDoubleVector();
        double mean = java.util.Arrays.stream(col).average().orElseThrow();
        double var = java.util.Arrays.stream(col).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(0.0, mean, 1e-5);
        assertEquals(1.0, Math.sqrt(var), 1e-5);
    }

    @Test
    void versionOnePipelinesStillRead() {
        // version 1 had no learned encodings: a standardised pipeline is what a version-1 file held
        BundledDataset heart = Datasets.load("heart_disease_cleveland");
        FittedPipeline p = heart.prepare(heart.options().withSeed(3).withNormalization(Normalization.STANDARDIZE)).pipeline();
        String v2 = PipelineJson.toJson(p);
        assertTrue(v2.contains("\"version\" : 2"), v2);
        String v1 = v2.replace("\"version\" : 2", "\"version\" : 1").replaceAll(",\\s*\"edges\" : \\[ \\]", "");
        assertTrue(!v1.contains("edges"), v1);
        FittedPipeline back = PipelineJson.fromJson(v1);
        assertEquals(v2, PipelineJson.toJson(back));
        assertEquals(PipelineCompiler.compile(p), PipelineCompiler.compile(back));
    }

    /** Frozen vs DataVec on the first {@code maxRows} rows of the dataset's CSV. */
    private static void assertParity(String name, BundledDataset d, PreparedData prepared, int maxRows) {
        {
            FittedPipeline p = prepared.pipeline();
            Table all = d.table();
            Table table = all.rowCount() <= maxRows ? all : Table.of(name, all.header(), all.rows().subList(0, maxRows));
            UnseenCounter unseen = new UnseenCounter();
            double[][] dataVec = p.transform(table, DataType.DOUBLE, unseen).toDoubleMatrix();
            float[][] dataVec32 = p.transform(table, DataType.FLOAT, unseen).toFloatMatrix();
            long unseenDataVec = unseen.count();

            CompiledPipeline frozen = CompiledPipeline.fromJson(((CompiledPipeline) PipelineCompiler.compile(p)).toJson());
            assertEquals(p.width(), frozen.width(), name);
            assertEquals(p.inputColumns(), frozen.columns(), name);
            assertEquals(p.featureNames(), frozen.featureNames(), name);
            int[] map = new int[frozen.columns().size()];
            for (int j = 0; j < map.length; j++) {
                map[j] = table.indexOf(frozen.columns().get(j));
            }
            String[] raw = new String[map.length];
            double[] features = new double[frozen.width()];
            double worst = 0;
            long unseenFrozen = 0;
            for (int i = 0; i < table.rowCount(); i++) {
                String[] row = table.row(i);
                for (int j = 0; j < map.length; j++) {
                    raw[j] = row[map[j]];
                }
                frozen.transform(raw, features);
                unseenFrozen += frozen.unseenCategories(raw);
                for (int k = 0; k < features.length; k++) {
                    double diff = Math.abs(features[k] - dataVec[i][k]);
                    worst = Math.max(worst, diff);
                    if (diff > 1e-6) {
                        throw new AssertionError(name + " line " + table.line(i) + " feature " + p.featureNames().get(k) + ": frozen "
                                + features[k] + " vs DataVec " + dataVec[i][k]);
                    }
                    // The float32 output differs only by float rounding.
                    assertTrue(Math.abs(features[k] - dataVec32[i][k]) <= 1e-6 * Math.max(1, Math.abs(features[k])), name);
                }
            }
            assertTrue(worst <= 1e-9, name + ": worst difference " + worst);
            // Both sides counted the same unseen categories (twice for DataVec: two transforms above).
            assertEquals(unseenDataVec, 2 * unseenFrozen, name);
            if (p.task().kind() == TaskKind.REGRESSION) {
                double[] z = {-1.5, 0.0, 2.25};
                double[] viaNd4j = p.targetEncoder().toOriginalUnits(z);
                for (int i = 0; i < z.length; i++) {
                    assertEquals(viaNd4j[i], frozen.toOriginalUnits(z[i]), 1e-9, name);
                }
            } else {
                assertEquals(0, frozen.inverseTarget().length);
            }
        }
    }

    @Test
    void savedPipelineTransformsIdentically() {
        for (String name : Datasets.names()) {
            BundledDataset d = Datasets.load(name);
            FittedPipeline p = d.prepare(7).pipeline();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PipelineJson.write(p, out);
            FittedPipeline back = PipelineJson.read(new ByteArrayInputStream(out.toByteArray()));
            Table table = d.table();
            List<String[]> sample = table.rows().subList(0, Math.min(500, table.rowCount()));
            Table head = Table.of(name, table.header(), sample);
            assertEquals(p.transform(head, DataType.DOUBLE), back.transform(head, DataType.DOUBLE), name);
            assertEquals(PipelineJson.toJson(p), PipelineJson.toJson(back), name);
            assertEquals(PipelineCompiler.compile(p), PipelineCompiler.compile(back), name);
            double[] z = {0.3, -0.7};
            assertArrayEquals(p.targetEncoder().toOriginalUnits(z), back.targetEncoder().toOriginalUnits(z), 0.0, name);
            if (p.task().kind() != TaskKind.REGRESSION) {
                assertEquals(p.targetEncoder().labels(head), back.targetEncoder().labels(head), name);
            }
        }
    }
}
