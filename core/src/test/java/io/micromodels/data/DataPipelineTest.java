package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataPipelineTest {

    private static int f(FittedPipeline p, String feature) {
        int i = p.featureNames().indexOf(feature);
        assertTrue(i >= 0, "no feature " + feature + " in " + p.featureNames());
        return i;
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    @Test
    void imputationUsesTheTrainingSplitMedianAndModeWithIndicators() {
        // Several split seeds, so that both an odd and an even number of training values occur.
        Set<Integer> parities = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            parities.add(checkImputation(seed));
        }
        assertEquals(Set.of(0, 1), parities);
    }

    /** Returns the parity of the number of non-missing training values of x. */
    private static int checkImputation(long seed) {
        String csv = Synthetic.classification(300, 1);
        List<String[]> raw = Synthetic.rows(csv);
        PreparedData d = Synthetic.prepare(csv, DataOptions.builder("y").normalization(Normalization.NONE).missingIndicators(true).seed(seed).build());
        FittedPipeline p = d.pipeline();
        double[][] train = d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        List<Double> xs = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (double[] row : train) {
            String[] r = raw.get((int) row[f(p, "id")]);
            if (!Synthetic.blank(r[1])) {
                xs.add(Double.parseDouble(r[1]));
            }
            if (!r[2].isEmpty()) {
                counts.merge(r[2], 1, Integer::sum);
            }
        }
        double median = median(xs);
        String mode = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int imputedX = 0;
        int imputedC = 0;
        for (INDArray split : List.of(d.train().getFeatures(), d.validation().getFeatures(), d.test().getFeatures())) {
            for (double[] row : split.castTo(DataType.DOUBLE).toDoubleMatrix()) {
                String[] r = raw.get((int) row[f(p, "id")]);
                boolean xMissing = Synthetic.blank(r[1]);
                boolean cMissing = r[2].isEmpty();
                assertEquals(xMissing ? 1.0 : 0.0, row[f(p, "x:missing")], "indicator x, id " + r[0]);
                assertEquals(cMissing ? 1.0 : 0.0, row[f(p, "c:missing")], "indicator c, id " + r[0]);
                if (xMissing) {
                    assertEquals(median, row[f(p, "x")], 1e-4, "imputed x, id " + r[0]);
                    imputedX++;
                } else {
                    assertEquals(Double.parseDouble(r[1]), row[f(p, "x")], 1e-4);
                }
                for (String level : List.of("a", "b", "c")) {
                    String expected = cMissing ? mode : r[2];
                    assertEquals(level.equals(expected) ? 1.0 : 0.0, row[f(p, "c=" + level)], "c=" + level + ", id " + r[0]);
                }
                if (cMissing) {
                    imputedC++;
                }
            }
        }
        assertEquals(imputedX + imputedC, d.report().imputedCells());
        assertTrue(imputedX > 20 && imputedC > 10);
        assertEquals(List.of("id", "x", "x:missing", "c=a", "c=b", "c=c", "c:missing", "flag"), p.featureNames());
        assertArrayEquals(new int[] {3, 4, 5, 6}, p.featureGroups().get("c"));
        assertArrayEquals(new int[] {1, 2}, p.featureGroups().get("x"));
        return xs.size() % 2;
    }

    @Test
    void duplicatesMissingTargetsAndDroppedRowsAreCounted() {
        String csv = "a,b,y\n1,x,p\n1,x,p\n2,,q\n3,y,\n1,x,p\n4,z,q\n5,x,p\n6,y,q\n7,z,p\n8,x,q\n9,y,p\n10,z,q\n11,x,p\n12,,q\n";
        PreparedData d = Synthetic.prepare(csv, DataOptions.of("y"));
        DataReport r = d.report();
        assertEquals(14, r.rowsRead());
        assertEquals(2, r.duplicateRows());
        assertEquals(1, r.missingTargetRows());
        assertEquals(0, r.missingValueRows());
        assertEquals(11, r.rowsUsed());
        assertEquals(2, r.imputedCells());
        assertEquals(11, d.train().numExamples() + d.validation().numExamples() + d.test().numExamples());
        PreparedData dropped = Synthetic.prepare(csv, DataOptions.builder("y").missingPolicy(MissingPolicy.DROP_ROWS).build());
        assertEquals(2, dropped.report().missingValueRows());
        assertEquals(9, dropped.report().rowsUsed());
        assertEquals(0, dropped.report().imputedCells());
    }

    @Test
    void allMissingColumnIsDroppedWithANote() {
        String csv = Synthetic.classification(60, 2).replace("id,x,c,flag,y\n", "id,x,c,flag,y,empty\n").replace("\n", ",\n")
                .replaceFirst("y,empty,\n", "y,empty\n");
        PreparedData d = Synthetic.prepare(csv, DataOptions.of("y"));
        assertTrue(!d.pipeline().inputColumns().contains("empty"));
        assertEquals("every cell is missing", d.report().droppedColumns().get("empty"));
        assertTrue(d.report().toString().contains("empty: every cell is missing"), d.report().toString());
    }

    @Test
    void nanIsMissingButInfinityIsAnError() {
        String csv = Synthetic.classification(60, 3);
        PreparedData d = Synthetic.prepare(csv, DataOptions.of("y"));
        long nans = Synthetic.rows(csv).stream().filter(r -> r[1].equals("NaN")).count();
        assertTrue(nans > 0);
        assertTrue(d.report().imputedCells() >= nans);
        String inf = csv.replaceFirst("\n7,[^,]*,", "\n7,Infinity,");
        DataException e = assertThrows(DataException.class, () -> Synthetic.prepare(inf, DataOptions.of("y")));
        assertMessage(e, "synthetic.csv", "line 9", "'x'", "infinite");
    }

    @Test
    void targetProblemsAreClearErrors() {
        String csv = Synthetic.classification(40, 4);
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(csv, DataOptions.of("label"))),
                "target column 'label' not found", "available columns: id, x, c, flag, y");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(csv, DataOptions.builder("y").dropColumn("zz").build())),
                "dropColumns column 'zz' not found", "id, x, c, flag, y");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(csv, DataOptions.builder("y").task(TaskKind.REGRESSION).build())),
                "line 2", "'y'", "'A'", "number");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(csv, DataOptions.builder("y").task(TaskKind.BINARY).build())),
                "BINARY", "3 classes");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(csv.replace(",A\n", ",B\n"),
                DataOptions.builder("y").positiveClass("A").build())), "positiveClass 'A'", "classes: B, C");
        String reg = Synthetic.regression(40, 5).replaceFirst("\n3,([^,]*),([^,]*),[^\n]*\n", "\n3,$1,$2,fast\n");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(reg, DataOptions.builder("t").task(TaskKind.REGRESSION).build())),
                "synthetic.csv", "line 5", "'t'", "'fast'");
    }

    @Test
    void taskInference() {
        PreparedData multi = Synthetic.prepare(Synthetic.classification(60, 6), DataOptions.of("y"));
        assertEquals(new TaskInfo(TaskKind.MULTICLASS, "y", List.of("A", "B", "C"), -1), multi.task());
        assertEquals(List.of(3L, 1L), List.of(multi.train().getLabels().size(1), 1L));
        PreparedData reg = Synthetic.prepare(Synthetic.regression(60, 6), DataOptions.of("t"));
        assertEquals(TaskKind.REGRESSION, reg.task().kind());
        // Ten or fewer distinct numbers: classification unless the task says otherwise.
        String coded = "x,y\n1,1\n2,2\n3,3\n4,1\n5,2\n6,3\n7,1\n8,2\n9,3\n10,1\n";
        assertEquals(TaskKind.MULTICLASS, Synthetic.prepare(coded, DataOptions.of("y")).task().kind());
        assertEquals(TaskKind.REGRESSION, Synthetic.prepare(coded, DataOptions.of("y").withTask(TaskKind.REGRESSION)).task().kind());
        String binary = "x,y\n1,no\n2,yes\n3,no\n4,yes\n5,no\n6,no\n7,no\n8,yes\n9,no\n10,yes\n";
        TaskInfo t = Synthetic.prepare(binary, DataOptions.of("y")).task();
        assertEquals(List.of("no", "yes"), t.classes());
        assertEquals(1, t.positiveClass());
        String numbers = "x,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,0\n7,0\n8,1\n9,0\n10,1\n11,2\n12,10\n";
        assertEquals(List.of("0", "1", "2", "10"), Synthetic.prepare(numbers, DataOptions.of("y")).task().classes());
    }

    @Test
    void normaliserIsFittedOnTheTrainingSplitOnly() {
        // The target encodes the row: t = 1000 * row + 0.5, so training rows can be recovered from the labels.
        java.util.Random rnd = new java.util.Random(7);
        StringBuilder sb = new StringBuilder("x1,x2,t\n");
        List<Double> x1Raw = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double x1 = Math.round((3 + 5 * rnd.nextGaussian()) * 1e4) / 1e4;
            x1Raw.add(x1);
            sb.append(x1).append(',').append(Math.round(rnd.nextGaussian() * 1e4) / 1e4).append(',').append(1000.0 * i + 0.5).append('\n');
        }
        PreparedData d = Synthetic.prepare(sb.toString(), DataOptions.builder("t").normalization(Normalization.STANDARDIZE).build());
        FittedPipeline p = d.pipeline();
        double[][] train = d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int c = 0; c < p.width(); c++) {
            double[] col = column(train, c);
            assertEquals(0.0, mean(col), 1e-5, "train mean of " + p.featureNames().get(c));
            assertEquals(1.0, std(col), 1e-4, "train std of " + p.featureNames().get(c));
        }
        double[][] test = d.test().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        assertTrue(Math.abs(mean(column(test, 0))) > 1e-3, "test mean should not be exactly 0");
        // Independent check: standardise x1 of the recovered training rows with their own mean and std.
        double[] trainTargets = p.targetEncoder().toOriginalUnits(d.train().getLabels().castTo(DataType.DOUBLE).reshape(d.train().numExamples()).toDoubleVector());
        double[] x1 = new double[trainTargets.length];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = x1Raw.get((int) Math.round((trainTargets[i] - 0.5) / 1000));
        }
        double m = mean(x1);
        double s = std(x1);
        for (int i = 0; i < x1.length; i++) {
            assertEquals((x1[i] - m) / s, train[i][0], 1e-5, "row " + i);
        }
        double expected = (2.5 - m) / s;
        assertEquals(expected, p.transform(List.<String[]>of(new String[] {"2.5", "0.1"}), DataType.DOUBLE).getDouble(0, 0), 1e-9);
    }

    @Test
    void minMaxScalesTrainingNumbersIntoUnitRangeAndLeavesOneHotAlone() {
        PreparedData d = Synthetic.prepare(Synthetic.classification(200, 8), DataOptions.builder("y").dropColumn("id").normalization(Normalization.MIN_MAX).build());
        FittedPipeline p = d.pipeline();
        double[] x = column(d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix(), f(p, "x"));
        assertEquals(0.0, Arrays.stream(x).min().orElseThrow(), 1e-7);
        assertEquals(1.0, Arrays.stream(x).max().orElseThrow(), 1e-6);
        assertArrayEquals(new int[] {f(p, "x")}, p.scaledFeatures());
        for (double[] row : d.test().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix()) {
            for (String one : List.of("c=a", "c=b", "c=c", "flag")) {
                double v = row[f(p, one)];
                assertTrue(v == 0.0 || v == 1.0, one + " = " + v);
            }
        }
    }

    @Test
    void regressionTargetIsStandardisedAndMappedBack() {
        String csv = Synthetic.regression(300, 9);
        List<String[]> raw = Synthetic.rows(csv);
        PreparedData d = Synthetic.prepare(csv, DataOptions.builder("t").normalization(Normalization.NONE).build());
        FittedPipeline p = d.pipeline();
        double[] z = d.train().getLabels().castTo(DataType.DOUBLE).reshape(d.train().numExamples()).toDoubleVector();
        assertEquals(0.0, mean(z), 1e-5);
        assertEquals(1.0, std(z), 1e-4);
        double[] y = p.targetEncoder().toOriginalUnits(z);
        double[][] train = d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < y.length; i++) {
            String[] r = raw.get((int) train[i][f(p, "id")]);
            assertEquals(Double.parseDouble(r[3]), y[i], 1e-3);
        }
        double[] rawTrain = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            rawTrain[i] = Double.parseDouble(raw.get((int) train[i][f(p, "id")])[3]);
        }
        double m = mean(rawTrain);
        double s = std(rawTrain);
        assertArrayEquals(new double[] {m + 0.5 * s, m - s}, p.targetEncoder().toOriginalUnits(new double[] {0.5, -1.0}), 1e-9);
        double[] same = {0.5, -1.0};
        PreparedData cls = Synthetic.prepare(Synthetic.classification(60, 9), DataOptions.of("y"));
        assertArrayEquals(same, cls.pipeline().targetEncoder().toOriginalUnits(same));
    }

    @Test
    void stratifiedSplitKeepsProportionsCoversEveryRowAndIsSeeded() {
        String csv = Synthetic.classification(503, 10);
        List<String[]> raw = Synthetic.rows(csv);
        DataOptions o = DataOptions.builder("y").normalization(Normalization.NONE).build();
        PreparedData d = Synthetic.prepare(csv, o);
        FittedPipeline p = d.pipeline();
        Map<String, Integer> total = new HashMap<>();
        raw.forEach(r -> total.merge(r[4], 1, Integer::sum));
        Set<Integer> seen = new HashSet<>();
        double[] fractions = {0.70, 0.15, 0.15};
        List<INDArray> splits = List.of(d.train().getFeatures(), d.validation().getFeatures(), d.test().getFeatures());
        for (int s = 0; s < 3; s++) {
            Map<String, Integer> counts = new HashMap<>();
            for (double[] row : splits.get(s).castTo(DataType.DOUBLE).toDoubleMatrix()) {
                int id = (int) row[f(p, "id")];
                assertTrue(seen.add(id), "row " + id + " in two splits");
                counts.merge(raw.get(id)[4], 1, Integer::sum);
            }
            for (String c : total.keySet()) {
                double expected = total.get(c) * fractions[s];
                assertTrue(Math.abs(counts.getOrDefault(c, 0) - expected) <= 1.0,
                        "split " + s + " class " + c + ": " + counts.get(c) + " vs " + expected);
            }
        }
        assertEquals(raw.size(), seen.size());
        PreparedData again = Synthetic.prepare(csv, o);
        assertEquals(ids(d, p), ids(again, again.pipeline()));
        PreparedData other = Synthetic.prepare(csv, o.withSeed(7));
        assertNotEquals(new HashSet<>(ids(d, p)), new HashSet<>(ids(other, other.pipeline())));
        // Labels are one-hot in class order A, B, C.
        double[][] labels = d.train().getLabels().toDoubleMatrix();
        double[][] feats = d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < labels.length; i++) {
            String y = raw.get((int) feats[i][f(p, "id")])[4];
            assertEquals(1.0, labels[i][List.of("A", "B", "C").indexOf(y)]);
            assertEquals(1.0, Arrays.stream(labels[i]).sum());
        }
    }

    private static List<Integer> ids(PreparedData d, FittedPipeline p) {
        List<Integer> out = new ArrayList<>();
        for (double[] row : d.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix()) {
            out.add((int) row[f(p, "id")]);
        }
        return out;
    }

    @Test
    void timeSplitIsOrdered() {
        // Rows in shuffled order; id = position in time.
        int n = 200;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(3));
        StringBuilder sb = new StringBuilder("when,id,v\n");
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int i : order) {
            sb.append(start.plusHours(7L * i).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")))
                    .append(',').append(i).append(',').append(i % 17 * 1.5).append('\n');
        }
        PreparedData d = Synthetic.prepare(sb.toString(), DataOptions.builder("v").timeColumn("when").normalization(Normalization.NONE).build());
        FittedPipeline p = d.pipeline();
        int[] last = {-1};
        for (INDArray split : List.of(d.train().getFeatures(), d.validation().getFeatures(), d.test().getFeatures())) {
            for (double[] row : split.castTo(DataType.DOUBLE).toDoubleMatrix()) {
                int id = (int) row[f(p, "id")];
                assertTrue(id > last[0], "not in time order: " + id + " after " + last[0]);
                last[0] = id;
            }
        }
        assertEquals(n - 1, last[0]);
        assertEquals(140, d.train().numExamples());
        assertTrue(d.report().split().contains("time-ordered by when"));
        String withGap = sb.toString().replaceFirst("\n[^,\n]+,", "\n,");
        assertMessage(assertThrows(DataException.class, () -> Synthetic.prepare(withGap,
                DataOptions.builder("v").timeColumn("when").build())), "line 2", "'when'", "time column is missing");
    }

    @Test
    void cyclicalDateTimeFeatures() {
        StringBuilder sb = new StringBuilder("when,v\n");
        for (int i = 0; i < 40; i++) {
            sb.append(String.format("2024-01-%02d %02d:30:00,%d%n", 1 + i % 28, i % 24, i % 3));
        }
        FittedPipeline p = Synthetic.prepare(sb.toString(), DataOptions.of("v")).pipeline();
        assertEquals(List.of("when:hour_sin", "when:hour_cos", "when:dow_sin", "when:dow_cos", "when:month_sin", "when:month_cos"),
                p.featureNames());
        List<String[]> rows = List.of(new String[] {"2024-01-01 06:00:00"}, new String[] {"2024-07-06 18:00:00"}, new String[] {"2024-04-03 00:00:00"}, new String[] {""});
        double[][] x = p.transform(rows, DataType.DOUBLE).toDoubleMatrix();
        // 06:00 → sin 1, cos 0; Monday → dow angle 0; January → month angle 0.
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 1}, x[0], 1e-12);
        // 18:00 → sin -1; Saturday (6th day) → 2π·5/7; July → π.
        assertArrayEquals(new double[] {-1, 0, Math.sin(2 * Math.PI * 5 / 7), Math.cos(2 * Math.PI * 5 / 7), 0, -1}, x[1], 1e-12);
        // Midnight → sin 0, cos 1; Wednesday → 2π·2/7; April → 2π·3/12 = π/2.
        assertArrayEquals(new double[] {0, 1, Math.sin(2 * Math.PI * 2 / 7), Math.cos(2 * Math.PI * 2 / 7), 1, 0}, x[2], 1e-12);
        assertArrayEquals(new double[6], x[3], 0.0);
        assertMessage(assertThrows(DataException.class, () -> p.transform(List.<String[]>of(new String[] {"2024-13-01 00:00:00"}))),
                "row 1", "'when'", "2024-13-01");
    }

    @Test
    void unseenCategoryIsAllZerosAndCounted() {
        FittedPipeline p = Synthetic.prepare(Synthetic.classification(120, 11), DataOptions.builder("y").dropColumn("id").build()).pipeline();
        UnseenCounter unseen = new UnseenCounter();
        assertEquals(0, unseen.count());
        double[][] x = p.transform(List.of(new String[] {"50", "zebra", "yes"}, new String[] {"50", "b", "yes"}), DataType.DOUBLE, unseen).toDoubleMatrix();
        for (String level : List.of("c=a", "c=b", "c=c")) {
            assertEquals(0.0, x[0][f(p, level)], level);
        }
        assertEquals(1.0, x[1][f(p, "c=b")]);
        assertEquals(1, unseen.count());
        p.transform(List.of(new String[] {"1", "lion", "no"}, new String[] {"1", "tiger", "no"}), DataType.FLOAT, unseen);
        assertEquals(3, unseen.count());
        UnseenCounter other = new UnseenCounter();
        p.transform(List.of(new String[] {"1", "lion", "no"}, new String[] {"1", "", "no"}), DataType.FLOAT, other);
        assertEquals(1, other.count(), "a missing cell is imputed, not unseen; each counter counts only its own calls");
        assertEquals(3, unseen.count());
        INDArray none = p.transform(List.of());
        assertArrayEquals(new long[] {0, p.width()}, none.shape());
    }

    @Test
    void predictTimeErrorsAndHeaderMapping() {
        PreparedData d = Synthetic.prepare(Synthetic.classification(80, 12), DataOptions.builder("y").dropColumn("id").build());
        FittedPipeline p = d.pipeline();
        assertEquals(List.of("x", "c", "flag"), p.inputColumns());
        assertMessage(assertThrows(DataException.class, () -> p.transform(List.of(new String[] {"1", "a", "yes"}, new String[] {"12abc", "a", "yes"}))),
                "row 2", "'x'", "12abc");
        assertMessage(assertThrows(DataException.class, () -> p.transform(List.<String[]>of(new String[] {"1", "a"}))), "row 1", "2 cells", "expected 3");
        assertMessage(assertThrows(DataException.class, () -> p.transform(List.<String[]>of(new String[] {"1", "a", "maybe"}))), "'flag'", "maybe");
        INDArray byName = p.transform(List.of("y", "flag", "c", "x", "id"), List.<String[]>of(new String[] {"A", "no", "c", "42", "7"}));
        INDArray byOrder = p.transform(List.<String[]>of(new String[] {"42", "c", "no"}));
        assertEquals(byOrder, byName);
        assertMessage(assertThrows(DataException.class, () -> p.transform(List.of("x", "flag"), List.<String[]>of(new String[] {"1", "no"}))),
                "missing input column c");
    }

    @Test
    void readCsvForPredictionWithOrWithoutTarget(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        PreparedData d = Synthetic.prepare(Synthetic.classification(80, 13), DataOptions.builder("y").dropColumn("id").build());
        FittedPipeline p = d.pipeline();
        java.nio.file.Path with = dir.resolve("with.csv");
        java.nio.file.Files.writeString(with, "flag,x,c,y\r\nyes,50,a,B\r\nno,,b,C\r\n");
        Table t = p.readCsv(with, ',');
        assertEquals(2, p.transform(t).rows());
        assertEquals(List.of(0.0, 1.0, 0.0), Arrays.stream(p.targetEncoder().labels(t).getRow(0).toDoubleVector()).boxed().toList());
        java.nio.file.Path without = dir.resolve("without.csv");
        java.nio.file.Files.writeString(without, "x;c;flag\n50;a;yes\n");
        assertEquals(p.transform(t).getRow(0), p.transform(p.readCsv(without, ';')).getRow(0));
        assertMessage(assertThrows(DataException.class, () -> p.targetEncoder().labels(p.readCsv(without, ';'))), "target column 'y' not found");
        java.nio.file.Path bad = dir.resolve("bad.csv");
        java.nio.file.Files.writeString(bad, "x,flag\n1,yes\n");
        assertMessage(assertThrows(DataException.class, () -> p.readCsv(bad, ',')), "bad.csv", "missing input column c");
        java.nio.file.Path badCell = dir.resolve("cell.csv");
        java.nio.file.Files.writeString(badCell, "x,c,flag\n1,a,yes\n\n2,b,perhaps\n");
        assertMessage(assertThrows(DataException.class, () -> p.transform(p.readCsv(badCell, ','))), "cell.csv", "line 4", "'flag'", "perhaps");
    }

    @Test
    void featureSelectionDropsNearConstantAndKeepsTheInformativeColumns() {
        java.util.Random r = new java.util.Random(5);
        StringBuilder sb = new StringBuilder("noise,signal,rare,constant,y\n");
        for (int i = 0; i < 400; i++) {
            double s = r.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s,k,%s%n", r.nextGaussian(), s, i % 50 == 0 ? "b" : "a", s > 0.3 ? "hi" : "lo"));
        }
        String csv = sb.toString();
        PreparedData plain = Synthetic.prepare(csv, DataOptions.of("y"));
        assertEquals(List.of("noise", "signal", "rare"), plain.pipeline().inputColumns());
        assertTrue(plain.report().droppedColumns().get("constant").startsWith("constant"), plain.report().droppedColumns().toString());
        PreparedData near = Synthetic.prepare(csv, DataOptions.builder("y").nearConstantThreshold(0.95).build());
        assertEquals(List.of("noise", "signal"), near.pipeline().inputColumns());
        for (SelectionMethod m : SelectionMethod.values()) {
            PreparedData top = Synthetic.prepare(csv, DataOptions.builder("y").topK(1).selectionMethod(m).normalization(Normalization.STANDARDIZE).build());
            assertEquals(List.of("signal"), top.pipeline().inputColumns(), m.toString());
            assertEquals(1, top.pipeline().width());
            assertEquals(1, top.train().getFeatures().columns());
            assertTrue(top.report().droppedColumns().get("noise").contains("top 1"));
        }
    }

    @Test
    void pipelineJsonRoundTripIsExactAndStrict() throws Exception {
        PreparedData d = Synthetic.prepare(Synthetic.classification(150, 14), DataOptions.builder("y").missingIndicators(true)
                .normalization(Normalization.STANDARDIZE).build());
        FittedPipeline p = d.pipeline();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("pipeline.json"));
            PipelineJson.write(p, zip);
            zip.closeEntry();
            zip.putNextEntry(new java.util.zip.ZipEntry("after.txt"));
            zip.write("still open".getBytes());
            zip.closeEntry();
        }
        FittedPipeline back;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            zip.getNextEntry();
            back = PipelineJson.read(zip);
            assertEquals("after.txt", zip.getNextEntry().getName());
        }
        assertEquals(PipelineJson.toJson(p), PipelineJson.toJson(back));
        assertEquals(p.featureNames(), back.featureNames());
        assertEquals(p.task(), back.task());
        List<String[]> rows = Synthetic.rows(Synthetic.classification(50, 15)).stream().map(r -> Arrays.copyOfRange(r, 0, 4)).toList();
        assertEquals(p.transform(rows, DataType.DOUBLE), back.transform(rows, DataType.DOUBLE));
        String json = PipelineJson.toJson(p);
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"version\" : 2", "\"version\" : 2, \"extra\" : 2"))), "extra");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst(",\\s*\"edges\" : \\[ \\]", ""))), "edges");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"version\" : 2", "\"version\" : 3"))), "version 3");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"version\" : 2", "\"version\" : 2, \"version\" : 2"))), "version");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"kind\" : \"(BINARY|MULTICLASS)\"", "\"kind\" : \"binary\""))), "binary");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"normalization\" : \"STANDARDIZE\",", ""))), "normalization");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"indicator\" : (true|false),", ""))), "indicator");
        assertMessage(assertThrows(DataException.class, () -> PipelineJson.fromJson(json.replaceFirst("\"levels\" :", "\"colour\" : 1, \"levels\" :"))), "colour");
    }

    @Test
    void identifierLikeCategoricalColumnIsNoted() {
        StringBuilder sb = new StringBuilder("key,v,y\n");
        for (int i = 0; i < 100; i++) {
            sb.append("k").append(i).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "p" : "q").append('\n');
        }
        PreparedData d = Synthetic.prepare(sb.toString(), DataOptions.builder("y").normalization(Normalization.STANDARDIZE).build());
        assertTrue(d.report().notes().stream().anyMatch(n -> n.contains("'key'") && n.contains("identifier")), d.report().notes().toString());
        // Per class (50 each): round(7.5) = 8 to validation and to test, 34 to training: 68 training keys + v.
        assertEquals(68 + 1, d.pipeline().width());
    }

    @Test
    void reportPrintsAReadableTable() {
        PreparedData d = Synthetic.prepare(Synthetic.classification(200, 16), DataOptions.builder("y").dropColumn("id").build());
        String s = d.report().toString();
        assertTrue(s.startsWith("Data report: synthetic.csv"), s);
        assertTrue(s.contains("rows read 200 (5 columns"), s);
        assertTrue(s.contains("split stratified random (seed 42): train 140 / validation 30 / test 30"), s);
        assertTrue(s.contains("task MULTICLASS, target y"), s);
        assertTrue(s.lines().anyMatch(l -> l.trim().startsWith("A ") && l.contains("100")), s);
        assertTrue(s.lines().anyMatch(l -> l.trim().startsWith("x ") && l.contains("feature") && l.contains("NUMERIC")), s);
        assertTrue(s.contains("id: dropped by option (dropColumns)"), s);
        assertEquals(Map.of("A", 100, "B", 60, "C", 40), d.report().classBalance());
        assertEquals(64, d.report().sha256().length());
    }

    private static double[] column(double[][] m, int c) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
    }
}
