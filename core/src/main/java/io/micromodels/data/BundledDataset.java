package io.micromodels.data;

import java.io.StringReader;
import java.util.Objects;

/**
 * A bundled dataset: its catalog entry, its CSV bytes from the class path and the default {@link DataOptions}.
 *
 * <pre>{@code
 * BundledDataset d = Datasets.load("german_credit");
 * PreparedData data = d.prepare(42);              // catalog defaults, seed 42
 * PreparedData minMax = d.prepare(d.options().withNormalization(Normalization.MIN_MAX));
 * }</pre>
 */
public final class BundledDataset {
    private final CatalogEntry entry;
    private final byte[] csv;
    private final DataOptions options;

    BundledDataset(CatalogEntry entry, byte[] csv) {
        this.entry = Objects.requireNonNull(entry, "entry");
        this.csv = csv;
        this.options = entry.defaultOptions();
    }

    public String name() {
        return entry.name();
    }

    public CatalogEntry entry() {
        return entry;
    }

    /** Default options from the catalog (target, task, drop, time column, kinds, positive class; seed 42). */
    public DataOptions options() {
        return options;
    }

    /** The raw CSV bytes (a copy). */
    public byte[] bytes() {
        return csv.clone();
    }

    /** SHA-256 of the CSV bytes. */
    public String sha256() {
        return DataPipeline.sha256(csv);
    }

    /** The parsed CSV. */
    public Table table() {
        return Table.parse(new StringReader(CsvParser.decodeUtf8(csv, entry.file())), entry.file(), options.separator());
    }

    /** Prepares with the catalog defaults and the given seed. */
    public PreparedData prepare(long seed) {
        return prepare(options.withSeed(seed));
    }

    /** Prepares with the catalog defaults and seed 42. */
    public PreparedData prepare() {
        return prepare(options);
    }

    /** Prepares with other options (start from {@link #options()}). */
    public PreparedData prepare(DataOptions options) {
        return DataPipeline.prepare(csv, entry.file(), options);
    }

    @Override
    public String toString() {
        return "BundledDataset(" + entry.name() + ", " + entry.rows() + " rows, " + entry.task().jsonName() + " " + entry.target() + ")";
    }
}
