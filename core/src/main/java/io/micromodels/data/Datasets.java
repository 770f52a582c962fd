package io.micromodels.data;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bundled real datasets (module {@code datasets}, class-path resources under {@code micromodels/datasets/}):
 * German credit and credit scoring (finance), breast cancer WDBC, Cleveland heart disease and diabetes progression
 * (healthcare), I-94 metro traffic and 2001 flights (transportation). Origins, licences and citations are in
 * {@code ATTRIBUTION.md} beside the CSVs.
 *
 * <pre>{@code
 * for (Datasets.Listing row : Datasets.listing()) System.out.println(row);   // name, rows, task, target, licence
 * PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
 * System.out.println(data.report());
 * }</pre>
 *
 * <p>The catalog is read on first use (no static initialiser work).
 */
public final class Datasets {
    /** Class-path folder of the bundled files. */
    public static final String RESOURCE_DIR = "micromodels/datasets/";

    private static volatile List<CatalogEntry> catalog;

    private Datasets() {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Catalog(int version, List<CatalogEntry> datasets) {
    }

    /** All catalog entries, in catalog order. */
    public static List<CatalogEntry> catalog() {
        List<CatalogEntry> c = catalog;
        if (c == null) {
            synchronized (Datasets.class) {
                c = catalog;
                if (c == null) {
                    c = readCatalog();
                    catalog = c;
                }
            }
        }
        return c;
    }

    private static List<CatalogEntry> readCatalog() {
        // the one strict mapper; the catalog writes null for "none" (no time column, no positive class)
        ObjectReader reader = StrictJson.mapper().readerFor(Catalog.class)
                .without(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
        try (InputStream in = resource("catalog.json")) {
            Catalog c = reader.readValue(in);
            if (c.version() != 1) {
                throw new DataException(RESOURCE_DIR + "catalog.json: unsupported version " + c.version());
            }
            return List.copyOf(c.datasets());
        } catch (IOException e) {
            throw new DataException(RESOURCE_DIR + "catalog.json: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String file) {
        ClassLoader loader = Datasets.class.getClassLoader();
        InputStream in = loader.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new DataException(RESOURCE_DIR + file + " is not on the class path (is the micromodels-datasets jar missing?)");
        }
        return in;
    }

    /** Dataset names, in catalog order. */
    public static List<String> names() {
        return catalog().stream().map(CatalogEntry::name).toList();
    }

    /** The catalog entry of a dataset; an unknown name is a {@link DataException} listing the known names. */
    public static CatalogEntry entry(String name) {
        for (CatalogEntry e : catalog()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new DataException("unknown dataset '" + name + "'; bundled datasets: " + String.join(", ", names()));
    }

    /**
     * Loads a bundled dataset by name (the file stem, e.g. {@code german_credit}).
     *
     * @throws DataException for an unknown name (listing the known ones) or a missing resource
     */
    public static BundledDataset load(String name) {
        CatalogEntry e = entry(name);
        try (InputStream in = resource(e.file())) {
            return new BundledDataset(e, in.readAllBytes());
        } catch (IOException ex) {
            throw new DataException(RESOURCE_DIR + e.file() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * One row of the {@code micromodels datasets} listing.
     *
     * @param name    dataset name
     * @param rows    data rows
     * @param task    binary, multiclass or regression
     * @param target  target column
     * @param license licence
     */
    public record Listing(String name, int rows, String task, String target, String license) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-24s %6d  %-10s  %-15s  %s", name, rows, task, target, license);
        }
    }

    /** The rows of the CLI's dataset listing: name, rows, task, target, licence. */
    public static List<Listing> listing() {
        List<Listing> out = new ArrayList<>();
        for (CatalogEntry e : catalog()) {
            out.add(new Listing(e.name(), e.rows(), e.task().jsonName(), e.target(), e.license()));
        }
        return out;
    }

    /** The listing as a table with a header line. */
    public static String formatListing() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %6s  %-10s  %-15s  %s%n", "name", "rows", "task", "target", "license"));
        for (Listing l : listing()) {
            sb.append(l).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
