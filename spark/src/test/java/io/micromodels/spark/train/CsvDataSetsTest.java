package io.micromodels.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.BadCellPolicy;
import io.micromodels.data.DataException;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The executors' minibatches hold exactly the rows of the driver's local training split: features and labels as
 * {@link DataPipeline#prepare} makes them, compared row by row (as sets: the order differs), on a file with the shapes
 * the CSV reader accepts (BOM, CRLF and CR line ends, a blank line, quoted separators, missing and bad cells, rows
 * sorted by class, duplicates).
 */
class CsvDataSetsTest {
    @TempDir
    Path dir;

    @Test
    void minibatchesHoldTheLocalTrainingRows() throws Exception {
        Path csv = dir.resolve("mixed.csv");
        Files.write(csv, mixedCsv(300));
        try (JavaSparkContext sc = LocalSpark.start("CsvDataSetsTest")) {
        for (Normalization normalization : List.of(Normalization.STANDARDIZE, Normalization.QUANTILE)) {
            DataOptions options = DataOptions.builder("label").badCells(BadCellPolicy.MISSING).normalization(normalization).build();
            PreparedData data = DataPipeline.prepare(csv, options);
            MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).batchSize(16).build();
            List<DataSet> batches = CsvDataSets.training(sc, csv, data, spec).collect();
            int rows = 0;
            for (DataSet b : batches) {
                assertTrue(b.numExamples() <= 16, "a minibatch has at most batchSize rows, got " + b.numExamples());
                rows += b.numExamples();
            }
            assertEquals(data.train().numExamples(), rows);
            assertEquals(batches.size(), (rows + 15) / 16, "full minibatches but the last");
            assertEquals(sorted(data.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix(),
                            data.train().getLabels().castTo(DataType.DOUBLE).toDoubleMatrix()),
                    sorted(batches), normalization + ": the executors' rows are the local training rows");
        }
        }
    }

    @Test
    void quotedLineBreaksAreRefusedNamingTheLine() {
        String text = "a,b,label\n1,x,yes\n2,\"two\nlines\",no\n";
        DataException e = assertThrows(DataException.class, () -> CsvLines.scan(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f.csv", ','));
        assertTrue(e.getMessage().startsWith("f.csv: line 3: a quoted field holds a line break"), e.getMessage());
    }

    @Test
    void linesOfRowsSkipBlankLinesAndKeepQuotedSeparators() throws Exception {
        String text = "\uFEFFa,\"b,c\",label\r\n1,\"x,\"\"y\"\"\",yes\r\n\r\n2,z,no\r3,w,no";
        CsvLines lines = CsvLines.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f.csv", ',');
        assertEquals("a,\"b,c\",label", lines.header());
        assertArrayEquals(new int[] {1, 3, 4}, lines.rowLine(), "physical lines of the data rows (line 2 is blank)");
        assertEquals(5, lines.lines());
    }

    /** A CSV of n rows (plus one duplicate) sorted by class, with a BOM, mixed line ends, a blank line, quotes, missing and bad cells. */
    static byte[] mixedCsv(int n) {
        SplittableRandom r = new SplittableRandom(3);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            String cat = new String[] {"red", "green", "blue, dark"}[r.nextInt(3)];
            boolean yes = x + (cat.startsWith("blue") ? 0.8 : 0) + 0.5 * r.nextGaussian() > 0.3;
            String income = i % 17 == 0 ? "" : i % 41 == 3 ? "abc" : String.format(java.util.Locale.ROOT, "%.2f", 1000 + 300 * r.nextGaussian());
            rows.add(new String[] {String.format(java.util.Locale.ROOT, "%.4f", x), cat.contains(",") ? "\"" + cat + "\"" : cat,
                    income, String.valueOf(r.nextInt(60) + 18), yes ? "yes" : "no"});
        }
        rows.add(rows.get(10).clone());
        rows.sort(Comparator.comparing(a -> a[4]));
        StringBuilder sb = new StringBuilder("\uFEFFx,colour,income,age,label\r\n");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(String.join(",", rows.get(i))).append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
            if (i == 100) {
                sb.append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> sorted(double[][] x, double[][] y) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            out.add(Arrays.toString(x[i]) + " -> " + Arrays.toString(y[i]));
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(List<DataSet> batches) {
        List<String> out = new ArrayList<>();
        for (DataSet b : batches) {
            double[][] x = b.getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] y = b.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < x.length; i++) {
                out.add(Arrays.toString(x[i]) + " -> " + Arrays.toString(y[i]));
            }
        }
        out.sort(null);
        return out;
    }
}
