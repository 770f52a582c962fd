package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.data.DataReport.ClassCount;
import io.micromodels.data.DataReport.ColumnSummary;
import io.micromodels.data.DataReport.TargetSummary;
import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.data.PipelineSpec.TaskSpec;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference for {@code FastPathParityTest}: {@link DataPipeline} as it was before the compact table and the
 * columnar transform (rows of strings, a {@code HashSet} of rows for duplicates, every split through the DataVec
 * {@code TransformProcess} of {@link FittedPipeline}). Only {@link #prepare(Table, String, DataOptions)} is used.
 */
final class LegacyDataPipeline {
    private LegacyDataPipeline() {
    }

    /**
     * Prepares a CSV file.
     *
     * @throws DataException for a missing or malformed file, unknown columns, or values of the wrong kind
     */
    public static PreparedData prepare(Path csv, DataOptions options) {
        return prepare(Table.readBytes(csv), csv.toString(), options);
    }

    /** Prepares CSV text from a reader (read to the end, not closed); {@code sourceName} names it in messages. */
    public static PreparedData prepare(Reader csv, String sourceName, DataOptions options) {
        String text = Table.readAll(csv, sourceName);
        return prepare(CsvParser.parse(text, sourceName, options.separator()), sha256(text.getBytes(StandardCharsets.UTF_8)), options);
    }

    /** Prepares CSV bytes (UTF-8). */
    public static PreparedData prepare(byte[] csv, String sourceName, DataOptions options) {
        String text = CsvParser.decodeUtf8(csv, sourceName);
        return prepare(CsvParser.parse(text, sourceName, options.separator()), sha256(csv), options);
    }

    static String sha256(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static PreparedData prepare(Table parsed, String sha, DataOptions options) {
        String src = parsed.source();
        List<String> header = parsed.header();
        int targetCol = parsed.require(options.target(), "target");
        for (String d : options.dropColumns()) {
            parsed.require(d, "dropColumns");
        }
        for (String c : options.columnKinds().keySet()) {
            checkFeatureOption(parsed, options, c, "columnKinds");
        }
        for (String c : options.dateTimePatterns().keySet()) {
            checkFeatureOption(parsed, options, c, "dateTimePatterns");
        }
        if (options.timeColumn() != null) {
            checkFeatureOption(parsed, options, options.timeColumn(), "timeColumn");
        }
        LinkedHashMap<String, String> dropped = new LinkedHashMap<>();
        List<String> featureNames = new ArrayList<>();
        for (String h : header) {
            if (h.equals(options.target())) {
                continue;
            }
            if (options.dropColumns().contains(h)) {
                dropped.put(h, "dropped by option (dropColumns)");
            } else {
                featureNames.add(h);
            }
        }
        List<String> notes = new ArrayList<>();
        Table table = BadCells.apply(parsed, featureNames, options, notes);
        SchemaInference.Result inferred = SchemaInference.inferAll(table, featureNames, options.columnKinds(), options.dateTimePatterns());
        for (String m : inferred.allMissing()) {
            dropped.put(m, "every cell is missing");
        }
        List<ColumnInfo> infos = new ArrayList<>(inferred.columns());
        if (options.timeColumn() != null && inferred.allMissing().contains(options.timeColumn())) {
            throw new DataException(src + ": time column '" + options.timeColumn() + "' has no value at all");
        }

        // Rows: duplicates, missing target, missing values.
        List<String[]> rows = table.rowsView();
        Set<List<String>> seen = new HashSet<>(rows.size() * 2);
        List<Integer> kept = new ArrayList<>(rows.size());
        int duplicates = 0;
        int missingTarget = 0;
        for (int r = 0; r < rows.size(); r++) {
            if (!seen.add(Arrays.asList(rows.get(r)))) {
                duplicates++;
                continue;
            }
            if (Cells.isMissing(rows.get(r)[targetCol])) {
                missingTarget++;
                continue;
            }
            kept.add(r);
        }
        int[] infoCols = new int[infos.size()];
        for (int j = 0; j < infos.size(); j++) {
            infoCols[j] = table.indexOf(infos.get(j).name());
        }
        int missingValueRows = 0;
        if (options.missingPolicy() == MissingPolicy.DROP_ROWS) {
            List<Integer> complete = new ArrayList<>(kept.size());
            for (int r : kept) {
                boolean any = false;
                for (int c : infoCols) {
                    if (Cells.isMissing(rows.get(r)[c])) {
                        any = true;
                        break;
                    }
                }
                if (any) {
                    missingValueRows++;
                } else {
                    complete.add(r);
                }
            }
            kept = complete;
        }
        if (kept.isEmpty()) {
            throw new DataException(src + ": no usable rows left (" + rows.size() + " read, " + duplicates + " duplicate, "
                    + missingTarget + " with a missing target, " + missingValueRows + " with missing values)");
        }

        final List<Integer> used = kept;

        // Task and target.
        Target target = target(table, kept, targetCol, options);
        TaskInfo task = target.task;

        // Split.
        int n = kept.size();
        int[][] split;
        String splitText;
        Random random = new Random(options.seed());
        if (options.timeColumn() != null) {
            split = timeSplit(table, kept, infos, options);
            splitText = "time-ordered by " + options.timeColumn();
        } else if (task.kind() == TaskKind.REGRESSION) {
            split = randomSplit(n, options.validationFraction(), options.testFraction(), random);
            splitText = "random (seed " + options.seed() + ")";
        } else {
            split = stratifiedSplit(target.classes, task.classes().size(), options.validationFraction(), options.testFraction(), random);
            splitText = "stratified random (seed " + options.seed() + ")";
        }
        for (int s = 0; s < 3; s++) {
            if (split[s].length == 0) {
                throw new DataException(src + ": only " + n + " usable rows; the train/validation/test split needs at least one row in each (got "
                        + split[0].length + "/" + split[1].length + "/" + split[2].length + ")");
            }
        }
        List<String[]> trainRows = select(rows, kept, split[0]);

        // Fit imputation and levels on the training split.
        List<ColumnSpec> specs = new ArrayList<>();
        for (int j = 0; j < infos.size(); j++) {
            ColumnSpec cs = fitColumn(infos.get(j), infoCols[j], trainRows, options, notes);
            if (cs == null) {
                dropped.put(infos.get(j).name(), "no value in the training split");
            } else {
                specs.add(cs);
                if (cs.levels().size() > 20 && cs.levels().size() > trainRows.size() / 2) {
                    notes.add("categorical column '" + cs.name() + "' has " + cs.levels().size() + " distinct values in "
                            + trainRows.size() + " training rows (" + cs.levels().size() + " one-hot features): if it is an identifier, drop it (dropColumns)");
                }
            }
        }
        // Near-constant columns (missing counted as a value).
        List<ColumnSpec> afterConstant = new ArrayList<>();
        for (ColumnSpec cs : specs) {
            String why = nearConstant(trainRows, table.indexOf(cs.name()), options.nearConstantThreshold());
            if (why != null) {
                dropped.put(cs.name(), why);
            } else {
                afterConstant.add(cs);
            }
        }
        if (afterConstant.isEmpty()) {
            throw new DataException(src + ": no feature column left after dropping " + String.join(", ", dropped.keySet())
                    + " (see the data report reasons: " + dropped + ")");
        }
        TaskSpec taskSpec0 = taskSpec(task, null);
        FittedPipeline unscaledPipeline = new FittedPipeline(new PipelineSpec(PipelineSpec.FORMAT, PipelineSpec.VERSION, afterConstant,
                Normalization.NONE, regressionPlaceholder(taskSpec0)));
        Rows xTrain = unscaledPipeline.unscaled(trainRows, columnMap(table, unscaledPipeline.inputColumns()),
                i -> src + ": line " + table.line(used.get(split[0][i])), null);
        List<ColumnSpec> finalSpecs = afterConstant;

        // Top-k.
        if (options.topK() > 0 && options.topK() < afterConstant.size()) {
            List<int[]> groups = new ArrayList<>(unscaledPipeline.featureGroups().values());
            int[] trainClasses = task.kind() == TaskKind.REGRESSION ? null : pick(target.classes, split[0]);
            double[] trainY = task.kind() == TaskKind.REGRESSION ? pick(target.values, split[0]) : null;
            double[] scores = FeatureSelection.scores(xTrain, groups, trainClasses, task.classes().size(), trainY, options.selectionMethod());
            Integer[] order = new Integer[scores.length];
            for (int g = 0; g < order.length; g++) {
                order[g] = g;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -scores[g]).thenComparingInt(g -> g));
            Set<Integer> keep = new HashSet<>(Arrays.asList(order).subList(0, options.topK()));
            List<ColumnSpec> selected = new ArrayList<>();
            List<int[]> keptGroups = new ArrayList<>();
            StringBuilder kept2 = new StringBuilder();
            for (int g = 0; g < afterConstant.size(); g++) {
                String score = String.format(Locale.ROOT, "%.4f", scores[g]);
                if (keep.contains(g)) {
                    selected.add(afterConstant.get(g));
                    keptGroups.add(groups.get(g));
                    kept2.append(kept2.length() == 0 ? "" : ", ").append(afterConstant.get(g).name()).append(' ').append(score);
                } else {
                    dropped.put(afterConstant.get(g).name(), "not in the top " + options.topK() + " by "
                            + options.selectionMethod() + " (score " + score + ")");
                }
            }
            notes.add("feature selection kept " + options.topK() + " columns by " + options.selectionMethod() + " on the training split: " + kept2);
            xTrain = xTrain.select(keptGroups);
            finalSpecs = selected;
        }

        // Normaliser and target scaling on the training split.
        List<ColumnSpec> scaledSpecs = fitScaling(finalSpecs, xTrain, options.normalization());
        TaskSpec taskSpec = taskSpec(task, task.kind() == TaskKind.REGRESSION ? pick(target.values, split[0]) : null);
        PipelineSpec spec = new PipelineSpec(PipelineSpec.FORMAT, PipelineSpec.VERSION, scaledSpecs, options.normalization(), taskSpec);
        FittedPipeline pipeline = stable(spec);

        int[] map = columnMap(table, pipeline.inputColumns());
        Rows trainX = pipeline.runtime().scale(xTrain);
        UnseenCounter valUnseen = new UnseenCounter();
        Rows valX = pipeline.runtime().scale(pipeline.unscaled(select(rows, kept, split[1]), map, i -> src + ": line " + table.line(used.get(split[1][i])), valUnseen));
        long unseenVal = valUnseen.count();
        UnseenCounter testUnseen = new UnseenCounter();
        Rows testX = pipeline.runtime().scale(pipeline.unscaled(select(rows, kept, split[2]), map, i -> src + ": line " + table.line(used.get(split[2][i])), testUnseen));
        long unseenTest = testUnseen.count();

        DataSet[] sets = new DataSet[3];
        Rows[] xs = {trainX, valX, testX};
        for (int s = 0; s < 3; s++) {
            INDArray features = DataVecTransform.toArray(xs[s], DataType.FLOAT);
            INDArray labels = task.kind() == TaskKind.REGRESSION
                    ? pipeline.targetEncoder().scale(pick(target.values, split[s])).castTo(DataType.FLOAT)
                    : TargetEncoder.oneHot(pick(target.classes, split[s]), task.classes().size());
            sets[s] = new DataSet(features, labels);
        }

        // Report.
        long imputed = 0;
        int[] inputCols = map;
        for (int r : kept) {
            for (int c : inputCols) {
                if (Cells.isMissing(rows.get(r)[c])) {
                    imputed++;
                }
            }
        }
        List<ClassCount> classCounts = new ArrayList<>();
        if (task.kind() != TaskKind.REGRESSION) {
            int k = task.classes().size();
            int[][] counts = new int[4][k];
            for (int s = 0; s < 3; s++) {
                for (int i : split[s]) {
                    counts[s][target.classes[i]]++;
                    counts[3][target.classes[i]]++;
                }
            }
            for (int c = 0; c < k; c++) {
                classCounts.add(new ClassCount(task.classes().get(c), counts[3][c], counts[0][c], counts[1][c], counts[2][c]));
            }
        }
        TargetSummary targetSummary = null;
        if (task.kind() == TaskKind.REGRESSION) {
            double[] s = stats(target.values);
            targetSummary = new TargetSummary(s[0], s[1], s[2], s[3]);
        }
        List<ColumnSummary> summaries = summarise(table, options.target(), pipeline, infos, dropped);
        DataReport report = new DataReport(src, sha, rows.size(), header.size(), duplicates, missingTarget, missingValueRows, n,
                imputed, splitText, split[0].length, split[1].length, split[2].length, pipeline.width(), task, classCounts,
                targetSummary, summaries, dropped, unseenVal, unseenTest, notes);
        return new PreparedData(sets[0], sets[1], sets[2], pipeline, report, sha);
    }

    private static void checkFeatureOption(Table table, DataOptions options, String column, String option) {
        table.require(column, option);
        if (column.equals(options.target()) || options.dropColumns().contains(column)) {
            throw new DataException(table.source() + ": " + option + " names column '" + column + "', which is the target or a dropped column");
        }
    }

    /** A pipeline whose normaliser stats are a fixed point of the spec → ND4J → spec round trip (so write/read is exact). */
    private static FittedPipeline stable(PipelineSpec spec) {
        FittedPipeline p = new FittedPipeline(spec);
        for (int iteration = 0; iteration < 5; iteration++) {
            PipelineSpec again = withStats(spec, p.runtime().storedStats(), p.targetEncoder().stats());
            if (again.equals(spec)) {
                return p;
            }
            spec = again;
            p = new FittedPipeline(spec);
        }
        return p;
    }

    private static PipelineSpec withStats(PipelineSpec spec, double[][] stats, double[] targetStats) {
        List<ColumnSpec> cols = new ArrayList<>();
        int s = 0;
        for (ColumnSpec c : spec.columns()) {
            if (c.kind().isNumeric() && spec.normalization() == Normalization.STANDARDIZE) {
                cols.add(c.withScaling(stats[0][s], stats[1][s], null, null));
                s++;
            } else if (c.kind().isNumeric() && spec.normalization() == Normalization.MIN_MAX) {
                cols.add(c.withScaling(null, null, stats[0][s], stats[1][s]));
                s++;
            } else {
                cols.add(c);
            }
        }
        TaskSpec t = spec.task();
        TaskSpec task = targetStats == null ? t : new TaskSpec(t.kind(), t.target(), t.classes(), t.positiveClass(), targetStats[0], targetStats[1]);
        return new PipelineSpec(spec.format(), spec.version(), cols, spec.normalization(), task);
    }

    /** During fitting the target scaling is not known yet: a regression spec gets a neutral placeholder. */
    private static TaskSpec regressionPlaceholder(TaskSpec t) {
        if (t.kind() != TaskKind.REGRESSION) {
            return t;
        }
        return new TaskSpec(t.kind(), t.target(), t.classes(), t.positiveClass(), 0.0, 1.0);
    }

    private static TaskSpec taskSpec(TaskInfo task, double[] trainTarget) {
        if (task.kind() != TaskKind.REGRESSION || trainTarget == null) {
            return new TaskSpec(task.kind(), task.target(), task.classes(), task.positiveClass(), null, null);
        }
        INDArray y = Nd4j.create(trainTarget, new long[] {trainTarget.length, 1}, DataType.DOUBLE);
        NormalizerStandardize s = new NormalizerStandardize();
        s.fit(new DataSet(y, y));
        return new TaskSpec(task.kind(), task.target(), task.classes(), task.positiveClass(), s.getMean().getDouble(0), s.getStd().getDouble(0));
    }

    private static List<ColumnSpec> fitScaling(List<ColumnSpec> specs, Rows xTrain, Normalization normalization) {
        if (normalization == Normalization.NONE) {
            return specs;
        }
        List<Integer> numericAt = new ArrayList<>();
        int at = 0;
        for (ColumnSpec c : specs) {
            if (c.kind().isNumeric()) {
                numericAt.add(at);
            }
            at += widthOf(c);
        }
        if (numericAt.isEmpty()) {
            return specs;
        }
        int n = xTrain.n;
        int s = numericAt.size();
        double[] flat = new double[n * s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                flat[i * s + j] = xTrain.get(i, numericAt.get(j));
            }
        }
        INDArray sub = Nd4j.create(flat, new long[] {n, s}, DataType.DOUBLE);
        DataSet ds = new DataSet(sub, sub);
        double[] a;
        double[] b;
        if (normalization == Normalization.STANDARDIZE) {
            NormalizerStandardize norm = new NormalizerStandardize();
            norm.fit(ds);
            a = norm.getMean().toDoubleVector();
            b = norm.getStd().toDoubleVector();
        } else {
            NormalizerMinMaxScaler norm = new NormalizerMinMaxScaler(0.0, 1.0);
            norm.fit(ds);
            a = norm.getMin().toDoubleVector();
            b = norm.getMax().toDoubleVector();
        }
        List<ColumnSpec> out = new ArrayList<>();
        int j = 0;
        for (ColumnSpec c : specs) {
            if (!c.kind().isNumeric()) {
                out.add(c);
            } else if (normalization == Normalization.STANDARDIZE) {
                out.add(c.withScaling(a[j], b[j], null, null));
                j++;
            } else {
                out.add(c.withScaling(null, null, a[j], b[j]));
                j++;
            }
        }
        return out;
    }

    private static int widthOf(ColumnSpec c) {
        int w = switch (c.kind()) {
            case NUMERIC, INTEGER, BOOLEAN -> 1;
            case CATEGORICAL -> c.levels().size();
            case DATETIME -> c.info().hasTime() ? 6 : 4;
        };
        return w + (c.indicator() ? 1 : 0);
    }

    /** Imputation value, levels and indicator of one column from the training rows; null when it has no value there. */
    private static ColumnSpec fitColumn(ColumnInfo info, int col, List<String[]> trainRows, DataOptions options, List<String> notes) {
        int missing = 0;
        List<String> values = new ArrayList<>(trainRows.size());
        for (String[] r : trainRows) {
            if (Cells.isMissing(r[col])) {
                missing++;
            } else {
                values.add(r[col].strip());
            }
        }
        boolean indicator = options.missingIndicators() && missing > 0;
        String name = info.name();
        switch (info.kind()) {
            case NUMERIC, INTEGER -> {
                if (values.isEmpty()) {
                    return null;
                }
                double[] v = new double[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Cells.number(values.get(i));
                }
                return new ColumnSpec(name, info.kind(), null, List.of(), List.of(), indicator, median(v), null, List.of(), null, null, null, null, List.of());
            }
            case BOOLEAN -> {
                if (values.isEmpty()) {
                    return null;
                }
                int trues = 0;
                for (String s : values) {
                    if (info.trueTokens().contains(s.toLowerCase(Locale.ROOT))) {
                        trues++;
                    }
                }
                double mode = trues > values.size() - trues ? 1.0 : 0.0;
                return new ColumnSpec(name, info.kind(), null, info.trueTokens(), info.falseTokens(), indicator, mode, null, List.of(), null, null, null, null, List.of());
            }
            case CATEGORICAL -> {
                if (values.isEmpty()) {
                    return null;
                }
                TreeMap<String, Integer> counts = new TreeMap<>();
                for (String s : values) {
                    counts.merge(s, 1, Integer::sum);
                }
                String mode = mode(counts);
                return new ColumnSpec(name, info.kind(), null, List.of(), List.of(), indicator, null, mode,
                        new ArrayList<>(counts.keySet()), null, null, null, null, List.of());
            }
            case DATETIME -> {
                if (missing > 0) {
                    notes.add("date-time column '" + name + "': missing cells give all-zero cyclical features");
                }
                return new ColumnSpec(name, info.kind(), info.pattern(), List.of(), List.of(), indicator, null, null, List.of(), null, null, null, null, List.of());
            }
            default -> throw new IllegalStateException(info.kind().toString());
        }
    }

    /** Median: the middle value, or the mean of the two middle values. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** Most frequent key; ties → the first in the map's (sorted) order. */
    static String mode(Map<String, Integer> counts) {
        String best = null;
        int bestCount = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    private static String nearConstant(List<String[]> trainRows, int col, double threshold) {
        Map<String, Integer> counts = new HashMap<>();
        String top = null;
        int topCount = 0;
        for (String[] r : trainRows) {
            String v = Cells.isMissing(r[col]) ? null : r[col].strip();
            int c = counts.merge(v == null ? "\u0000missing" : v, 1, Integer::sum);
            if (c > topCount) {
                topCount = c;
                top = v;
            }
        }
        double share = (double) topCount / trainRows.size();
        if (share >= threshold) {
            return String.format(Locale.ROOT, "%s: %.1f%% of training rows are %s (threshold %.1f%%)",
                    share == 1.0 ? "constant" : "near-constant", 100 * share, top == null ? "missing" : "'" + top + "'", 100 * threshold);
        }
        return null;
    }

    private static final class Target {
        TaskInfo task;
        int[] classes;    // per kept row (classification)
        double[] values;  // per kept row (regression)
    }

    private static final Set<String> POSITIVE_TOKENS = Set.of("1", "true", "yes", "y", "positive", "pos");

    private static Target target(Table table, List<Integer> kept, int targetCol, DataOptions options) {
        String name = options.target();
        List<String[]> rows = table.rowsView();
        TaskKind kind = options.task();
        if (kind == null) {
            boolean numeric = true;
            Set<String> distinct = new HashSet<>();
            for (int r : kept) {
                String v = rows.get(r)[targetCol].strip();
                distinct.add(v);
                if (numeric && !Cells.isNumeric(v)) {
                    numeric = false;
                }
            }
            if (numeric && distinct.size() > 10) {
                kind = TaskKind.REGRESSION;
            } else {
                kind = distinct.size() == 2 ? TaskKind.BINARY : TaskKind.MULTICLASS;
            }
        }
        Target t = new Target();
        if (kind == TaskKind.REGRESSION) {
            if (options.positiveClass() != null) {
                throw new DataException("positiveClass is set but the task is regression (target '" + name + "')");
            }
            t.values = new double[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                t.values[i] = parseTarget(rows.get(kept.get(i))[targetCol], table, kept.get(i), name);
            }
            t.task = new TaskInfo(TaskKind.REGRESSION, name, List.of(), -1);
            return t;
        }
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (int r : kept) {
            counts.merge(rows.get(r)[targetCol].strip(), 1, Integer::sum);
        }
        List<String> classes = new ArrayList<>(counts.keySet());
        if (classes.stream().allMatch(Cells::isNumeric)) {
            classes.sort(Comparator.comparingDouble(s -> Double.parseDouble(s.strip())));
        }
        if (classes.size() < 2) {
            throw new DataException(table.source() + ": target '" + name + "' has a single class " + classes + "; nothing to learn");
        }
        if (kind == TaskKind.BINARY && classes.size() != 2) {
            throw new DataException(table.source() + ": task is BINARY but target '" + name + "' has " + classes.size()
                    + " classes: " + String.join(", ", classes.subList(0, Math.min(20, classes.size()))));
        }
        int positive = -1;
        if (kind == TaskKind.BINARY) {
            if (options.positiveClass() != null) {
                positive = classes.indexOf(options.positiveClass());
                if (positive < 0) {
                    throw new DataException(table.source() + ": positiveClass '" + options.positiveClass() + "' is not a class of target '"
                            + name + "' (classes: " + String.join(", ", classes) + ")");
                }
            } else {
                for (int c = 0; c < 2; c++) {
                    if (POSITIVE_TOKENS.contains(classes.get(c).toLowerCase(Locale.ROOT))) {
                        positive = c;
                    }
                }
                if (positive < 0) {
                    positive = counts.get(classes.get(0)) < counts.get(classes.get(1)) ? 0 : 1;
                }
            }
        } else if (options.positiveClass() != null) {
            throw new DataException(table.source() + ": positiveClass is set but target '" + name + "' has " + classes.size()
                    + " classes (task " + kind + ")");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        t.classes = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            t.classes[i] = index.get(rows.get(kept.get(i))[targetCol].strip());
        }
        t.task = new TaskInfo(kind, name, classes, positive);
        return t;
    }

    /** Parses a regression target cell; errors name the file, line, column and value. */
    static double parseTarget(String cell, Table table, int row, String target) {
        if (Cells.isMissing(cell)) {
            throw new DataException(table.source() + ": line " + table.line(row) + ", column '" + target + "': the target is missing");
        }
        try {
            return Cells.number(cell);
        } catch (NumberFormatException e) {
            throw new DataException(table.source() + ": line " + table.line(row) + ", column '" + target
                    + "': the regression target must be a finite number, got '" + cell + "'");
        }
    }

    /** Seeded stratified split: per class, round(n_c · fraction) rows to validation and to test, the rest to training. */
    static int[][] stratifiedSplit(int[] classes, int k, double validation, double test, Random random) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < classes.length; i++) {
            byClass.get(classes[i]).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> tst = new ArrayList<>();
        for (List<Integer> members : byClass) {
            Collections.shuffle(members, random);
            int nc = members.size();
            int nv = (int) Math.round(nc * validation);
            int nt = Math.min((int) Math.round(nc * test), nc - nv);
            val.addAll(members.subList(0, nv));
            tst.addAll(members.subList(nv, nv + nt));
            train.addAll(members.subList(nv + nt, nc));
        }
        // Tiny data: make sure validation and test are not empty while training keeps a row.
        for (List<Integer> target : List.of(val, tst)) {
            if (target.isEmpty() && train.size() > 1) {
                target.add(train.remove(train.size() - 1));
            }
        }
        Collections.shuffle(train, random);
        Collections.shuffle(val, random);
        Collections.shuffle(tst, random);
        return new int[][] {toArray(train), toArray(val), toArray(tst)};
    }

    /** Seeded random split: the first round(n · validation) shuffled rows to validation, the next round(n · test) to test. */
    static int[][] randomSplit(int n, double validation, double test, Random random) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        int nv = (int) Math.round(n * validation);
        int nt = Math.min((int) Math.round(n * test), n - nv);
        return new int[][] {toArray(all.subList(nv + nt, n)), toArray(all.subList(0, nv)), toArray(all.subList(nv, nv + nt))};
    }

    /** Time-ordered split: sort by the time column (stable), then train, validation, test in that order. */
    private static int[][] timeSplit(Table table, List<Integer> kept, List<ColumnInfo> infos, DataOptions options) {
        String name = options.timeColumn();
        ColumnInfo info = infos.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new DataException(table.source() + ": time column '" + name + "' is not a feature column"));
        if (info.kind() != ColumnKind.DATETIME && !info.kind().isNumeric()) {
            throw new DataException(table.source() + ": time column '" + name + "' must hold date-times or numbers, but its kind is " + info.kind());
        }
        int col = table.indexOf(name);
        DateTimeFormatter f = info.kind() == ColumnKind.DATETIME ? DateTimeStep.formatter(info.pattern()) : null;
        double[] key = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            String v = table.rowsView().get(kept.get(i))[col];
            if (Cells.isMissing(v)) {
                throw new DataException(table.source() + ": line " + table.line(kept.get(i)) + ", column '" + name
                        + "': the time column is missing, so the row cannot be placed in time");
            }
            if (f == null) {
                key[i] = Cells.number(v);
            } else {
                TemporalAccessor t = f.parse(v.strip());
                key[i] = info.hasTime() ? LocalDateTime.from(t).toEpochSecond(ZoneOffset.UTC)
                        : LocalDate.from(t).toEpochDay() * 86400.0;
            }
        }
        Integer[] order = new Integer[kept.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> key[i]));
        int n = order.length;
        int nv = (int) Math.round(n * options.validationFraction());
        int nt = Math.min((int) Math.round(n * options.testFraction()), n - nv);
        int ntrain = n - nv - nt;
        int[][] out = {new int[ntrain], new int[nv], new int[nt]};
        for (int i = 0; i < n; i++) {
            if (i < ntrain) {
                out[0][i] = order[i];
            } else if (i < ntrain + nv) {
                out[1][i - ntrain] = order[i];
            } else {
                out[2][i - ntrain - nv] = order[i];
            }
        }
        return out;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String[]> select(List<String[]> rows, List<Integer> kept, int[] idx) {
        List<String[]> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(rows.get(kept.get(i)));
        }
        return out;
    }

    private static int[] pick(int[] values, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static int[] columnMap(Table table, List<String> columns) {
        int[] map = new int[columns.size()];
        for (int j = 0; j < map.length; j++) {
            map[j] = table.indexOf(columns.get(j));
        }
        return map;
    }

    /** {mean, population std, min, max}. */
    static double[] stats(double[] v) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / v.length), min, max};
    }

    private static List<ColumnSummary> summarise(Table table, String target, FittedPipeline pipeline, List<ColumnInfo> infos,
                                                 Map<String, String> dropped) {
        Map<String, ColumnKind> kinds = new HashMap<>();
        for (ColumnInfo c : infos) {
            kinds.put(c.name(), c.kind());
        }
        List<ColumnSummary> out = new ArrayList<>();
        List<String[]> rows = table.rowsView();
        for (int c = 0; c < table.header().size(); c++) {
            String name = table.header().get(c);
            int missing = 0;
            Set<String> distinct = new HashSet<>();
            boolean numeric = true;
            List<Double> values = new ArrayList<>();
            boolean integer = true;
            for (String[] r : rows) {
                String v = r[c];
                if (Cells.isMissing(v)) {
                    missing++;
                    continue;
                }
                String s = v.strip();
                distinct.add(s);
                if (numeric) {
                    try {
                        values.add(Cells.number(s));
                        integer &= s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
                    } catch (NumberFormatException e) {
                        numeric = false;
                    }
                }
            }
            String role = name.equals(target) ? "target" : pipeline.inputColumns().contains(name) ? "feature" : "dropped";
            ColumnKind kind = kinds.get(name);
            if (kind == null && !distinct.isEmpty()) {
                kind = numeric ? (integer ? ColumnKind.INTEGER : ColumnKind.NUMERIC) : ColumnKind.CATEGORICAL;
            }
            Double mean = null;
            Double std = null;
            Double min = null;
            Double max = null;
            if (numeric && !values.isEmpty() && (kind == null || kind.isNumeric())) {
                double[] s = stats(values.stream().mapToDouble(Double::doubleValue).toArray());
                mean = s[0];
                std = s[1];
                min = s[2];
                max = s[3];
            }
            out.add(new ColumnSummary(name, role, kind, missing, distinct.size(), mean, std, min, max));
        }
        return out;
    }
}
