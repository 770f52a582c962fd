package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.TaskKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Entry point: reads a CSV and returns train/validation/test ND4J datasets, the fitted pipeline and a report.
 *
 * <pre>{@code
 * PreparedData data = DataPipeline.prepare(Path.of("credit.csv"), DataOptions.of("class"));
 * System.out.println(data.report());            // rows, missing, class balance, per-column summary
 * DataSet train = data.train();                 // features float32 [n, width], labels one-hot [n, k]
 * INDArray x = data.pipeline().transform(List.<String[]>of(rawRow));   // the same preprocessing at predict time
 * }</pre>
 *
 * <p>The CSV is parsed first ({@link Table}: BOM, CRLF, quotes, separator; malformed shapes are {@link DataException}s
 * naming file, line and column); then {@link #prepare(Table, String, DataOptions)} runs these steps in order, each a
 * class with one input and one output (what they drop and note goes to a {@link PrepareLog} for the report):
 * <ol>
 *   <li>{@link ColumnInference}: option checks (errors list the available columns), dropped columns, bad cells, column
 *       kinds ({@link SchemaInference}), all-missing columns dropped;</li>
 *   <li>{@link RowFilter}: exact duplicate rows, rows with a missing target and, with {@link MissingPolicy#DROP_ROWS},
 *       rows with a missing feature cell removed (all counted; duplicates kept with
 *       {@link DataOptions#keepDuplicates()});</li>
 *   <li>{@link TaskInference}: the task, classes and positive class, and each row's target;</li>
 *   <li>{@link Splitter}: seeded train/validation/test split — stratified per class for classification, plain random
 *       for regression, or in time order when {@link DataOptions#timeColumn()} is set;</li>
 *   <li>{@link ColumnFitter}, on the training split only: imputation values (median / mode), categorical levels,
 *       missing indicators; near-constant columns dropped;</li>
 *   <li>{@link FeatureSelector}: top-k selection on the training split;</li>
 *   <li>{@link ScalingFit}: the ND4J normaliser (or the quantile / piecewise-linear encoding, {@link NumericEncodingFit})
 *       for numeric features and, for regression, the target's mean/std: the {@link FittedPipeline};</li>
 *   <li>{@link SplitFeatures}: the three splits' features and labels through that pipeline;</li>
 *   <li>{@link DataWarnings} (ID-like, target-separating, constant and empty columns) and {@link ReportBuilder}: the
 *       {@link DataReport}.</li>
 * </ol>
 */
public final class DataPipeline {
    private DataPipeline() {
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
        String sha = sha256(text.getBytes(StandardCharsets.UTF_8));
        Table table = CsvParser.parse(text, sourceName, options.separator());
        text = null; // the text is not needed any more: let it go before the long part (the interpreter keeps locals alive)
        return prepare(table, sha, options);
    }

    /** Prepares CSV bytes (UTF-8). */
    public static PreparedData prepare(byte[] csv, String sourceName, DataOptions options) {
        String sha = sha256(csv);
        Table table = CsvParser.parse(CsvParser.decodeUtf8(csv, sourceName), sourceName, options.separator());
        csv = null; // the bytes are not needed any more: let them go before the long part (the interpreter keeps locals alive)
        return prepare(table, sha, options);
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

    /** The steps over a parsed table (see the class comment); {@code sha} is the SHA-256 of the file's bytes. */
    static PreparedData prepare(Table parsed, String sha, DataOptions options) {
        PrepareLog log = new PrepareLog();
        ColumnInference.Columns columns = ColumnInference.infer(parsed, options, log);
        Table table = columns.table();
        double[][] numbers = columns.numbers();
        RowFilter.Kept kept = RowFilter.filter(table, columns.targetCol(), columns.infoCols(), options);
        TaskInference.Target target = TaskInference.infer(table, kept.rows(), columns.targetCol(), options);
        TaskInfo task = target.task();
        Splitter.Split split = options.splitFile() != null
                ? SplitFile.split(Path.of(options.splitFile()), table, kept, target)
                : Splitter.split(table, kept.rows(), columns.infos(), target, options);
        int[] trainRows = kept.tableRows(split.train());

        List<ColumnSpec> fitted = ColumnFitter.fit(table, columns.infos(), columns.infoCols(), trainRows, numbers, options, log);
        FittedPipeline unscaled = ScalingFit.unscaled(fitted, task);
        FeatureSelector.Selection selection = FeatureSelector.select(fitted, unscaled, table, trainRows, numbers, target, split, options, log);
        List<ColumnSpec> selected = selection.columns();
        // The training split's unscaled features, when selection computed them: kept only until the training features
        // are made (the interpreter keeps locals alive, so drop the references by hand).
        Rows xTrain = selection.xTrain();
        selection = null;
        FittedPipeline pipeline = ScalingFit.fit(selected,
                ScalingFit.numericTrain(selected, xTrain, unscaled, table, trainRows, numbers), task,
                task.kind() == TaskKind.REGRESSION ? target.valuesAt(split.train()) : null, options.normalization());

        INDArray trainX = SplitFeatures.features(pipeline, table, trainRows, xTrain, numbers, null);
        xTrain = null;
        UnseenCounter unseenValidation = new UnseenCounter();
        int[] validationRows = kept.tableRows(split.validation());
        INDArray validationX = SplitFeatures.features(pipeline, table, validationRows, null, numbers, unseenValidation);
        UnseenCounter unseenTest = new UnseenCounter();
        INDArray testX = SplitFeatures.features(pipeline, table, kept.tableRows(split.test()), null, numbers, unseenTest);
        DataSet train = new DataSet(trainX, SplitFeatures.labels(pipeline, target, split.train()));
        DataSet validation = new DataSet(validationX, SplitFeatures.labels(pipeline, target, split.validation()));
        DataSet test = new DataSet(testX, SplitFeatures.labels(pipeline, target, split.test()));

        log.notes.addAll(DataWarnings.warnings(table, numbers, columns, kept, target, log.dropped));
        DataReport report = ReportBuilder.report(sha, columns, kept, target, split, pipeline, options, log,
                unseenValidation.count(), unseenTest.count());
        PreparedData.Raw raw = new PreparedData.Raw(parsed.header(), SplitFeatures.cells(table, trainRows),
                SplitFeatures.cells(table, validationRows), options.timeColumn() == null ? "" : options.timeColumn(),
                new int[][] {trainRows, validationRows, kept.tableRows(split.test())});
        return new PreparedData(train, validation, test, pipeline, report, sha, raw, options);
    }
}
