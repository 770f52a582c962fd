package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One bundled dataset as described in {@code datasets/catalog.json}.
 *
 * @param name          dataset name, the file stem (e.g. {@code german_credit})
 * @param file          CSV file name under {@code micromodels/datasets/} on the class path
 * @param domain        finance, healthcare or transportation
 * @param task          the task kind (JSON {@code binary}, {@code multiclass} or {@code regression})
 * @param target        target column
 * @param positiveClass positive class label for binary tasks, else null
 * @param drop          columns to drop (e.g. {@code num} in the heart data, which leaks the target)
 * @param timeColumn    the time column for a time-ordered split, or null
 * @param columnKinds   column kind overrides (coded categories written as numbers)
 * @param rows          data rows in the CSV
 * @param columns       columns in the CSV
 * @param missingCells  empty cells in the CSV
 * @param sha256        SHA-256 of the CSV bytes
 * @param license       licence of the data
 * @param description   one-paragraph description
 * @param source        where the data comes from
 * @param citation      how to cite it
 */
@JsonPropertyOrder({"name", "file", "domain", "task", "target", "positiveClass", "drop", "timeColumn", "columnKinds", "rows",
        "columns", "missingCells", "sha256", "license", "description", "source", "citation"})
@JsonIgnoreProperties(ignoreUnknown = false)
public record CatalogEntry(String name, String file, String domain, TaskKind task, String target, String positiveClass,
                           List<String> drop, String timeColumn, Map<String, ColumnKind> columnKinds, int rows, int columns,
                           int missingCells, String sha256, String license, String description, String source, String citation) {
    public CatalogEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(task, "task");
        drop = List.copyOf(drop);
        columnKinds = Collections.unmodifiableMap(new LinkedHashMap<>(columnKinds));
    }

    /** The catalog defaults as pipeline options (seed {@link DataOptions#DEFAULT_SEED}). */
    public DataOptions defaultOptions() {
        return DataOptions.builder(target)
                .task(task)
                .dropColumns(drop)
                .columnKinds(columnKinds)
                .timeColumn(timeColumn)
                .positiveClass(positiveClass)
                .build();
    }
}
