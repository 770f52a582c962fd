package io.micromodels.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast data path (compact {@link Table}, {@link RowDeduper}, {@link ColumnarTransform}) against the reference:
 * {@link LegacyDataPipeline} (the row-at-a-time implementation, DataVec for every split) and the pipeline's own DataVec
 * {@code TransformProcess}. Equality is bit for bit: the same pipeline JSON, report, and feature and label bits.
 */
class FastPathParityTest {

    static List<String> datasets() {
        return Datasets.names();
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void everyBundledDatasetPreparesBitForBitAsTheReference(String name) {
        BundledDataset d = Datasets.load(name);
        byte[] csv = d.bytes();
        String sha = DataPipeline.sha256(csv);
        Table t = CsvParser.parse(CsvParser.decodeUtf8(csv, name), name, d.options().separator());
        // The reference and the unscaled comparison know affine scalings only; the learned encodings (the default
        // piecewise-linear one among them) are checked against the frozen plan on every dataset by FrozenParityTest.
        DataOptions o = d.options().withNormalization(Normalization.STANDARDIZE);
        assertSame(LegacyDataPipeline.prepare(t, sha, o), DataPipeline.prepare(t, sha, o));
        assertColumnarEqualsDataVec(DataPipeline.prepare(t, sha, o).pipeline(), t);
    }

    /** Every kind of column, with padding, missing tokens, quotes, duplicates, rare levels and a date-time. */
    static String dirty(int n, long seed, boolean regression) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("num,count,cat,flag,when,day,note,y\n");
        String[] levels = {"red", "green", "blue", " blue ", "\"a,b\"", "\"q\"\"uote\""};
        String[] missing = {"", "NA", "n/a", "?", " ", "null", "NaN"};
        String last = null;
        for (int i = 0; i < n; i++) {
            if (last != null && i % 97 == 13) {
                sb.append(last); // an exact duplicate row
                continue;
            }
            double x = 10 + 3 * r.nextGaussian();
            String num = r.nextInt(12) == 0 ? missing[r.nextInt(missing.length)]
                    : r.nextInt(10) == 0 ? String.format(Locale.ROOT, " %.2e ", x) : String.format(Locale.ROOT, "%.4f", x);
            String count = r.nextInt(15) == 0 ? "" : Integer.toString(r.nextInt(50));
            String cat = r.nextInt(20) == 0 ? missing[r.nextInt(missing.length)]
                    : r.nextInt(40) == 0 ? "rare" + r.nextInt(1000) : levels[r.nextInt(levels.length)];
            String flag = r.nextInt(25) == 0 ? "" : r.nextBoolean() ? (r.nextInt(5) == 0 ? " YES" : "yes") : "no";
            String when = r.nextInt(30) == 0 ? "NA" : String.format(Locale.ROOT, "2016-%02d-%02d %02d:%02d:%02d",
                    1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60));
            String day = String.format(Locale.ROOT, "2019-%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28));
            String note = r.nextInt(200) == 0 ? "abc" : Double.toString(Math.round(x * 100) / 100.0); // a stray word
            String y = regression ? String.format(Locale.ROOT, "%.3f", 2 * x + r.nextGaussian())
                    : x + (cat.contains("blue") ? 2 : 0) + r.nextGaussian() > 11 ? "pos" : "neg";
            last = String.join(",", num, count, cat, flag, when, day, note, y) + (i % 2 == 0 ? "\n" : "\r\n");
            sb.append(last);
        }
        return sb.toString();
    }

    static List<DataOptions> optionSets(boolean regression) {
        DataOptions base = DataOptions.builder("y").badCells(BadCellPolicy.MISSING).normalization(Normalization.STANDARDIZE).build();
        List<DataOptions> out = new ArrayList<>(List.of(base,
                base.toBuilder().missingIndicators(true).normalization(Normalization.MIN_MAX).seed(5).build(),
                base.toBuilder().missingPolicy(MissingPolicy.DROP_ROWS).normalization(Normalization.NONE).build(),
                base.toBuilder().timeColumn("day").missingIndicators(true).build(),
                base.toBuilder().topK(3).nearConstantThreshold(0.4).seed(9).build(),
                base.toBuilder().columnKind("count", ColumnKind.CATEGORICAL).dropColumn("day").build()));
        if (!regression) {
            out.add(base.toBuilder().topK(2).selectionMethod(SelectionMethod.CORRELATION).build());
        }
        return out;
    }

    @Test
    void dirtySyntheticDataPreparesBitForBitAsTheReference() {
        for (boolean regression : new boolean[] {false, true}) {
            String csv = dirty(1500, regression ? 11 : 12, regression);
            Table t = CsvParser.parse(csv, "dirty.csv", ',');
            String sha = DataPipeline.sha256(csv.getBytes(StandardCharsets.UTF_8));
            for (DataOptions o : optionSets(regression)) {
                PreparedData fast = DataPipeline.prepare(t, sha, o);
                assertSame(LegacyDataPipeline.prepare(t, sha, o), fast);
                // The raw table still holds the stray word: both transforms refuse it with the same message.
                if (fast.pipeline().inputColumns().contains("note")) {
                    assertSameError(fast.pipeline(), t);
                }
                Table clean = BadCells.apply(t, t.header().subList(0, t.header().size() - 1), o, new ArrayList<>());
                assertColumnarEqualsDataVec(fast.pipeline(), clean);
            }
        }
    }

    @Test
    void dateTrendColumnarMatchesDataVec() {
        for (boolean regression : new boolean[] {false, true}) {
            String csv = dirty(1500, regression ? 11 : 12, regression);
            Table t = CsvParser.parse(csv, "dirty.csv", ',');
            for (DataOptions o : List.of(
                    DataOptions.builder("y").badCells(BadCellPolicy.MISSING).dateTrend(true).normalization(Normalization.STANDARDIZE).build(),
                    DataOptions.builder("y").badCells(BadCellPolicy.MISSING).dateTrend(true).missingIndicators(true)
                            .normalization(Normalization.MIN_MAX).build())) {
                PreparedData d = DataPipeline.prepare(t, "x", o);
                assertTrue(d.pipeline().featureNames().contains("when:trend"), d.pipeline().featureNames().toString());
                assertTrue(d.pipeline().featureNames().contains("day:trend"), d.pipeline().featureNames().toString());
                Table clean = BadCells.apply(t, t.header().subList(0, t.header().size() - 1), o, new ArrayList<>());
                assertColumnarEqualsDataVec(d.pipeline(), clean);
            }
        }
    }

    @Test
    void theDirtyDataExercisesWhatItClaims() {
        String csv = dirty(1500, 12, false);
        PreparedData d = DataPipeline.prepare(CsvParser.parse(csv, "dirty.csv", ','), "x",
                DataOptions.builder("y").badCells(BadCellPolicy.MISSING).missingIndicators(true).build());
        DataReport r = d.report();
        assertTrue(r.duplicateRows() > 5, r.toString());
        assertTrue(r.unseenValidation() + r.unseenTest() > 0, r.toString());
        assertEquals(ColumnKind.NUMERIC, d.pipeline().columnKinds().get("note"));
        assertEquals(ColumnKind.DATETIME, d.pipeline().columnKinds().get("when"));
        assertEquals(ColumnKind.BOOLEAN, d.pipeline().columnKinds().get("flag"));
        assertTrue(d.pipeline().levels("cat").contains("a,b") && d.pipeline().levels("cat").contains("q\"uote"));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("warning: column 'note'")), r.notes().toString());
    }

    /** A note written by {@link DataWarnings} (not by the bad-cell policy, whose column name is followed by a colon). */
    private static final java.util.regex.Pattern COLUMN_WARNING =
            java.util.regex.Pattern.compile("warning: column '[^']*' (is empty|is constant|looks like an ID|alone separates)");

    private static void assertSame(PreparedData legacy, PreparedData fast) {
        assertEquals(PipelineJson.toJson(legacy.pipeline()), PipelineJson.toJson(fast.pipeline()));
        // the reference predates the column warnings (DataWarnings, checked in DataWarningsTest): everything else is equal
        DataReport f = fast.report();
        List<String> notes = f.notes().stream().filter(n -> !COLUMN_WARNING.matcher(n).lookingAt()).toList();
        assertEquals(legacy.report(), new DataReport(f.source(), f.sha256(), f.rowsRead(), f.columnsRead(), f.duplicateRows(),
                f.missingTargetRows(), f.missingValueRows(), f.rowsUsed(), f.imputedCells(), f.split(), f.trainRows(),
                f.validationRows(), f.testRows(), f.width(), f.task(), f.classes(), f.target(), f.columns(),
                f.droppedColumns(), f.unseenValidation(), f.unseenTest(), notes));
        assertEquals(legacy.sha256(), fast.sha256());
        assertBits(legacy.train().getFeatures(), fast.train().getFeatures());
        assertBits(legacy.train().getLabels(), fast.train().getLabels());
        assertBits(legacy.validation().getFeatures(), fast.validation().getFeatures());
        assertBits(legacy.validation().getLabels(), fast.validation().getLabels());
        assertBits(legacy.test().getFeatures(), fast.test().getFeatures());
        assertBits(legacy.test().getLabels(), fast.test().getLabels());
    }

    /** Every row of the table through both transforms: the same double bits and the same unseen count. */
    private static void assertColumnarEqualsDataVec(FittedPipeline p, Table t) {
        int[] all = IntStream.range(0, t.rowCount()).toArray();
        int[] map = p.inputColumns().stream().mapToInt(t::indexOf).toArray();
        UnseenCounter refUnseen = new UnseenCounter();
        Rows ref = p.unscaled(t.rowsView(), map, i -> t.source() + ": line " + t.line(i), refUnseen);
        UnseenCounter fastUnseen = new UnseenCounter();
        Rows fast = ColumnarTransform.unscaled(p, t, all, fastUnseen);
        assertEquals(refUnseen.count(), fastUnseen.count());
        assertEquals(ref.width, fast.width);
        assertArrayEquals(ref.data, fast.data);
        assertBits(DataVecTransform.toArray(p.runtime().scale(ref), DataType.FLOAT), DataVecTransform.toArray(p.runtime().scale(fast), DataType.FLOAT));
    }

    private static void assertSameError(FittedPipeline p, Table t) {
        int[] all = IntStream.range(0, t.rowCount()).toArray();
        int[] map = p.inputColumns().stream().mapToInt(t::indexOf).toArray();
        DataException ref = assertThrows(DataException.class, () -> p.unscaled(t.rowsView(), map, i -> t.source() + ": line " + t.line(i), null));
        DataException fast = assertThrows(DataException.class, () -> ColumnarTransform.unscaled(p, t, all, null));
        assertEquals(ref.getMessage(), fast.getMessage());
    }

    private static void assertBits(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.dataType(), actual.dataType());
        // Arrays.equals on float[]/double[] compares bit patterns (floatToIntBits), unlike INDArray.equals' tolerance.
        if (expected.dataType() == DataType.DOUBLE) {
            assertArrayEquals(expected.dup().data().asDouble(), actual.dup().data().asDouble());
        } else {
            assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat());
        }
    }
}
