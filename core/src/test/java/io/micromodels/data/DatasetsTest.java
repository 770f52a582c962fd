package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bundled dataset prepares with its catalog defaults; counts are checked against the CSV read independently. */
class DatasetsTest {

    /** rows, columns, missing cells of a bundled CSV, read line by line (these files have no quoted commas or line breaks). */
    private static int[] countsOf(String file) throws IOException {
        try (InputStream in = DatasetsTest.class.getClassLoader().getResourceAsStream("micromodels/datasets/" + file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int columns = r.readLine().split(",", -1).length;
            int rows = 0;
            int missing = 0;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                rows++;
                for (String cell : line.split(",", -1)) {
                    if (cell.isEmpty()) {
                        missing++;
                    }
                }
            }
            return new int[] {rows, columns, missing};
        }
    }

    @Test
    void catalogListsTheSevenDatasets() {
        assertEquals(List.of("german_credit", "credit_scoring", "breast_cancer_wdbc", "heart_disease_cleveland", "diabetes_progression",
                "metro_i94_traffic", "flights_2001_20k"), Datasets.names());
        for (CatalogEntry e : Datasets.catalog()) {
            assertEquals(e.name() + ".csv", e.file());
            assertTrue(List.of("finance", "healthcare", "transportation").contains(e.domain()), e.domain());
            assertTrue(!e.license().isBlank() && !e.citation().isBlank() && !e.source().isBlank());
        }
        List<Datasets.Listing> listing = Datasets.listing();
        assertEquals(new Datasets.Listing("german_credit", 1000, "binary", "class", "CC BY 4.0"), listing.get(0));
        assertTrue(Datasets.formatListing().lines().anyMatch(l -> l.startsWith("flights_2001_20k") && l.contains("20000") && l.contains("delay")));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("titanic"));
        assertTrue(e.getMessage().contains("'titanic'") && e.getMessage().contains("german_credit, credit_scoring"), e.getMessage());
    }

    @Test
    void everyDatasetPreparesWithItsDefaults() throws Exception {
        for (CatalogEntry e : Datasets.catalog()) {
            int[] counts = countsOf(e.file());
            assertEquals(counts[0], e.rows(), e.name() + " rows in catalog");
            assertEquals(counts[1], e.columns(), e.name() + " columns in catalog");
            assertEquals(counts[2], e.missingCells(), e.name() + " missing cells in catalog");
            BundledDataset d = Datasets.load(e.name());
            assertEquals(e.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d.bytes())), e.name() + " sha256");
            PreparedData p = d.prepare(42);
            DataReport r = p.report();
            assertEquals(counts[0], r.rowsRead(), e.name());
            assertEquals(counts[1], r.columnsRead(), e.name());
            assertEquals(counts[2], r.missingCells(), e.name());
            assertEquals(e.sha256(), p.sha256());
            assertEquals(e.task(), p.task().kind(), e.name());
            assertEquals(e.target(), p.task().target());
            int used = p.train().numExamples() + p.validation().numExamples() + p.test().numExamples();
            assertEquals(r.rowsUsed(), used, e.name());
            assertEquals(r.rowsRead() - r.duplicateRows() - r.missingTargetRows() - r.missingValueRows(), used, e.name());
            assertEquals(p.pipeline().width(), p.train().getFeatures().columns(), e.name());
            assertEquals(p.task().labelWidth(), p.train().getLabels().columns(), e.name());
            for (String dropped : e.drop()) {
                assertTrue(!p.pipeline().inputColumns().contains(dropped), e.name() + " should drop " + dropped);
            }
            assertTrue(!p.pipeline().inputColumns().contains(e.target()));
        }
    }

    @Test
    void specificFigures() {
        PreparedData german = Datasets.load("german_credit").prepare(42);
        assertEquals(1000, german.report().rowsRead());
        assertEquals(java.util.Map.of("good", 700, "bad", 300), german.report().classBalance());
        assertEquals("bad", german.task().classes().get(german.task().positiveClass()));

        PreparedData heart = Datasets.load("heart_disease_cleveland").prepare(42);
        assertEquals(6, heart.report().missingCells());
        assertEquals(6, heart.report().imputedCells());
        assertEquals(java.util.Map.of("0", 164, "1", 139), heart.report().classBalance());
        assertTrue(!heart.pipeline().inputColumns().contains("num"));
        assertEquals(ColumnKind.CATEGORICAL, heart.pipeline().columnKinds().get("cp"));

        PreparedData credit = Datasets.load("credit_scoring").prepare(42);
        assertEquals(2, credit.report().duplicateRows());
        assertEquals(455, credit.report().missingCells());

        PreparedData metro = Datasets.load("metro_i94_traffic").prepare(42);
        assertEquals(104, metro.report().missingTargetRows());
        assertTrue(metro.report().droppedColumns().containsKey("snow_1h"));
        assertTrue(metro.pipeline().featureNames().contains("datetime:hour_sin"));
        assertTrue(metro.report().split().startsWith("time-ordered"));

        PreparedData flights = Datasets.load("flights_2001_20k").prepare(42);
        assertEquals(20000, flights.report().rowsUsed());
        assertTrue(flights.pipeline().featureNames().contains("date:dow_cos"));
        assertEquals(TaskKind.REGRESSION, flights.task().kind());
    }
}
