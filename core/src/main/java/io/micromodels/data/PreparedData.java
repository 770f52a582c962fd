package io.micromodels.data;

import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link DataPipeline#prepare}: ND4J datasets for the three splits, the fitted pipeline, the report and
 * the SHA-256 of the raw CSV bytes.
 *
 * <p>Shapes: features float32 [n, width] with {@code width = pipeline.width()}; labels float32 one-hot [n, k] for
 * classification ({@code k = task.classes().size()}, column order = {@code task.classes()}), or [n, 1] for regression,
 * standardised with the training split's mean/std ({@link TargetEncoder#toOriginalUnits} maps predictions back).
 *
 * @param train      training split
 * @param validation validation split
 * @param test       test split
 * @param pipeline   the fitted preprocessing (apply it to new rows at predict time)
 * @param report     what was done
 * @param sha256     SHA-256 (lower-case hex) of the raw CSV bytes; for a {@link java.io.Reader} source, of the UTF-8
 *                   encoding of the characters read
 * @param raw        the raw cells of the training and validation rows, in split order (what cross-validation needs
 *                   for group and time folds), or null when not known
 * @param options    the options the data was prepared with (a saved model records them, so that it can be retrained
 *                   from the same CSV), or null when not known
 */
public record PreparedData(DataSet train, DataSet validation, DataSet test, FittedPipeline pipeline, DataReport report, String sha256,
                           Raw raw, DataOptions options) {

    /**
     * The raw CSV cells of the non-test rows, row {@code i} of {@code train} being row {@code i} of the training
     * split's features (the same for validation).
     *
     * @param columns    the CSV header
     * @param train      per training row, its cells {@code [columns.size()]}
     * @param validation per validation row, its cells
     * @param timeColumn the column the split was time-ordered by (then both lists are in time order), or empty
     * @param splitRows  {train, validation, test}: each part's 0-based data-row indices in the file (the line after the
     *                   header is row 0), in the order of the part's examples (what {@code split.csv} records)
     */
    public record Raw(List<String> columns, List<String[]> train, List<String[]> validation, String timeColumn,
                      int[][] splitRows) {
        /** Copies the lists (not the cell arrays). */
        public Raw {
            columns = List.copyOf(columns);
            train = List.copyOf(train);
            validation = List.copyOf(validation);
            Objects.requireNonNull(timeColumn, "timeColumn (empty when none)");
            Objects.requireNonNull(splitRows, "splitRows");
            if (splitRows.length != 3) {
                throw new IllegalArgumentException("splitRows must hold 3 parts (train, validation, test), got " + splitRows.length);
            }
        }
    }

    /** Prepared data without the raw rows and options. */
    public PreparedData(DataSet train, DataSet validation, DataSet test, FittedPipeline pipeline, DataReport report, String sha256) {
        this(train, validation, test, pipeline, report, sha256, null, null);
    }

    /** Prepared data without its options. */
    public PreparedData(DataSet train, DataSet validation, DataSet test, FittedPipeline pipeline, DataReport report, String sha256,
                        Raw raw) {
        this(train, validation, test, pipeline, report, sha256, raw, null);
    }

    public PreparedData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The task (shortcut for {@code pipeline().task()}). */
    public TaskInfo task() {
        return pipeline.task();
    }
}
