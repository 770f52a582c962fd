package io.micromodels.frozen.plan;

import io.micromodels.frozen.InvalidCellException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledPipelineTest {

    private static CompiledPipeline sample() {
        return new CompiledPipeline(
                List.of("when", "income", "purpose", "owner"),
                6 + 2 + 3 + 1,
                List.of(new DateTimeStep("when", "yyyy-MM-dd HH:mm:ss", true, false),
                        new NumericStep("income", 50.0, true, 40.0, 20.0),
                        new CategoricalStep("purpose", List.of("car", "house", "tv"), "house", false),
                        new BooleanStep("owner", List.of("yes"), List.of("no"), 1.0, false)),
                new double[] {150.0, 25.0});
    }

    @Test
    void transformsEveryKindOfColumn() {
        CompiledPipeline p = sample();
        double[] f = p.transform(new String[] {"2024-01-01 06:00:00", "60", "tv", "No"});
        // 2024-01-01 is a Monday in January: dow angle 0, month angle 0.
        assertEquals(1.0, f[0], 1e-12);
        assertEquals(0.0, f[1], 1e-12);
        assertEquals(0.0, f[2], 1e-12);
        assertEquals(1.0, f[3], 1e-12);
        assertEquals(0.0, f[4], 1e-12);
        assertEquals(1.0, f[5], 1e-12);
        assertEquals(1.0, f[6], 0.0); // (60 - 40) / 20
        assertEquals(0.0, f[7], 0.0); // not missing
        assertArrayEquals(new double[] {0, 0, 1}, new double[] {f[8], f[9], f[10]});
        assertEquals(0.0, f[11], 0.0);
        assertEquals(12, p.featureNames().size());
        assertEquals("when:hour_sin", p.featureNames().get(0));
        assertEquals("income:missing", p.featureNames().get(7));
        assertEquals("purpose=tv", p.featureNames().get(10));
    }

    @Test
    void missingCellsAreImputedAndFlagged() {
        double[] f = sample().transform(new String[] {"", "NaN", null, "?"});
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(f, 0, 6));
        assertEquals((50.0 - 40.0) / 20.0, f[6], 0.0);
        assertEquals(1.0, f[7], 0.0);
        assertArrayEquals(new double[] {0, 1, 0}, java.util.Arrays.copyOfRange(f, 8, 11));
        assertEquals(1.0, f[11], 0.0);
    }

    @Test
    void hourSixAndEighteenAreOppositeOnTheCircle() {
        CompiledPipeline p = new CompiledPipeline(List.of("t"), 6, List.of(new DateTimeStep("t", "yyyy/MM/dd HH:mm", true, false)), null);
        double[] six = p.transform(new String[] {"2001/01/03 06:00"});
        double[] eighteen = p.transform(new String[] {"2001/01/03 18:00"});
        assertEquals(1.0, six[0], 1e-12);
        assertEquals(0.0, six[1], 1e-12);
        assertEquals(-1.0, eighteen[0], 1e-12);
        assertEquals(0.0, eighteen[1], 1e-12);
        // 2001-01-03 is a Wednesday: (3 - 1) / 7 of a turn.
        assertEquals(Math.sin(2 * Math.PI * 2 / 7), six[2], 1e-12);
        assertEquals(Math.cos(2 * Math.PI * 2 / 7), six[3], 1e-12);
        double[] half = p.transform(new String[] {"2001/07/03 12:30"});
        assertEquals(Math.sin(2 * Math.PI * 12.5 / 24), half[0], 1e-12);
        assertEquals(Math.sin(2 * Math.PI * 6 / 12), half[4], 1e-12);
    }

    @Test
    void unseenCategoryGivesZerosAndIsCounted() {
        CompiledPipeline p = sample();
        String[] boat = {"2024-01-01 06:00:00", "1", "boat", "yes"};
        double[] f = p.transform(boat);
        assertArrayEquals(new double[] {0, 0, 0}, java.util.Arrays.copyOfRange(f, 8, 11));
        assertEquals(1, p.unseenCategories(boat));
        assertEquals(0, p.unseenCategories(new String[] {"2024-01-01 06:00:00", "1", "", "yes"}), "missing is imputed, not unseen");
        assertEquals(1, p.unseenCategories(boat), "a pure count: nothing accumulates");
    }

    @Test
    void unparseableCellsNameColumnAndValue() {
        CompiledPipeline p = sample();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.transform(new String[] {"2024-01-01 06:00:00", "12abc", "tv", "yes"}));
        assertTrue(e.getMessage().contains("income") && e.getMessage().contains("12abc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.transform(new String[] {"2024-01-01 06:00:00", "Infinity", "tv", "yes"}));
        assertTrue(e.getMessage().contains("infinite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.transform(new String[] {"01.01.2024", "1", "tv", "yes"}));
        assertTrue(e.getMessage().contains("when") && e.getMessage().contains("01.01.2024"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.transform(new String[] {"2024-01-01 06:00:00", "1", "tv", "maybe"}));
        assertTrue(e.getMessage().contains("owner") && e.getMessage().contains("maybe"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.transform(new String[] {"x"}));
    }

    /** Bad cells are InvalidCellExceptions carrying the column and value, so FrozenServer can name the field. */
    @Test
    void unparseableCellsCarryColumnAndValue() {
        CompiledPipeline p = sample();
        String[][] rows = {
            {"2024-01-01 06:00:00", "12abc", "tv", "yes"},
            {"01.01.2024", "1", "tv", "yes"},
            {"2024-01-01 06:00:00", "1", "tv", "maybe"}};
        String[] columns = {"income", "when", "owner"};
        String[] values = {"12abc", "01.01.2024", "maybe"};
        for (int i = 0; i < rows.length; i++) {
            String[] row = rows[i];
            InvalidCellException e = assertThrows(InvalidCellException.class, () -> p.transform(row));
            assertEquals(columns[i], e.column());
            assertEquals(values[i], e.value());
            assertTrue(e.getMessage().startsWith("column '" + columns[i] + "': "), e.getMessage());
        }
    }

    @Test
    void jsonRoundTripIsExact() {
        CompiledPipeline p = new CompiledPipeline(List.of("x"), 1, List.of(new NumericStep("x", 0.1 + 0.2, false, 1.0 / 3.0, Math.PI)), new double[] {1e-17, 7.123456789012345});
        String json = p.toJson();
        assertTrue(json.startsWith("{\"name\":\"compiled\",\"columns\""), json);
        CompiledPipeline back = CompiledPipeline.fromJson(json);
        assertEquals(p, back);
        assertEquals(json, back.toJson());
        assertArrayEquals(p.transform(new String[] {"2.5"}), back.transform(new String[] {"2.5"}));
        CompiledPipeline s = sample();
        assertEquals(s, CompiledPipeline.fromJson(s.toJson()));
        assertEquals(150.0 + 2 * 25.0, s.toOriginalUnits(2.0), 0.0);
        CompiledPipeline classifier = new CompiledPipeline(List.of(), 0, List.of(), null);
        assertEquals(0, classifier.inverseTarget().length);
        assertTrue(classifier.toJson().contains("\"inverseTarget\":[]"), classifier.toJson());
        assertTrue(!s.toJson().contains("null"), s.toJson());
        assertEquals(classifier, CompiledPipeline.fromJson(classifier.toJson()));
    }

    @Test
    void unknownOrMissingKeysAreErrorsNamingTheKey() {
        String json = sample().toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompiledPipeline.fromJson(json.replace("\"width\":12", "\"width\":12,\"colour\":1")));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace("\"indicator\":true,", "")));
        assertTrue(e.getMessage().contains("indicator"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace(",\"inverseTarget\":[150.0,25.0]", "")));
        assertTrue(e.getMessage().contains("inverseTarget"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace("\"width\":12", "\"width\":13")));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace("\"impute\":\"house\"", "\"impute\":null")));
        assertTrue(e.getMessage().contains("impute"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace("\"name\":\"compiled\"", "\"name\":\"identity\"")));
        assertTrue(e.getMessage().contains("name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompiledPipeline.fromJson(json.replace("\"width\":12", "\"width\":\"12\"")));
        assertTrue(e.getMessage().contains("width") || e.getMessage().contains("String"), e.getMessage());
    }

    record Holder(@com.fasterxml.jackson.annotation.JsonProperty(value = "pipeline", required = true) io.micromodels.frozen.FrozenPipeline pipeline) {
    }

    /** Inside a frozen model the registry (loaded by ServiceLoader) writes the same JSON, type name as "name". */
    @Test
    void theFrozenModelRegistryWritesTheSameJson() throws Exception {
        com.fasterxml.jackson.databind.ObjectWriter w = io.micromodels.frozen.FrozenPipelines.mapper().writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        CompiledPipeline p = sample();
        String json = w.writeValueAsString(new Holder(p));
        assertEquals("{\"pipeline\":" + p.toJson() + "}", json);
        Holder back = io.micromodels.frozen.FrozenPipelines.mapper().readValue(json, Holder.class);
        assertEquals(p, back.pipeline());
        assertEquals(CompiledPipeline.class, io.micromodels.frozen.FrozenPipelines.typeOf(CompiledPipeline.TYPE));
    }

    @Test
    void missingTokens() {
        for (String s : new String[] {null, "", "  ", "NA", "na", "N/A", "NaN", "nan", "null", "NULL", "?", " ? "}) {
            assertTrue(Cells.isMissing(s), String.valueOf(s));
        }
        for (String s : new String[] {"0", "none", "N", "NAN1", "nulls", "??"}) {
            assertTrue(!Cells.isMissing(s), s);
        }
        assertEquals(-1.5e-3, Cells.number(" -1.5e-3 "), 0.0);
        assertThrows(NumberFormatException.class, () -> Cells.number("1d"));
        assertThrows(NumberFormatException.class, () -> Cells.number("0x10"));
        assertThrows(NumberFormatException.class, () -> Cells.number("1e999"));
        assertTrue(Cells.isNumeric("-inf") && Cells.isNumeric(".5") && !Cells.isNumeric("."));
    }

    @Test
    void dateTrendIsFractionalYearsSince1970Standardised() {
        // 2020 is a leap year: 2020-07-02 is day 184 of 366, so (184 - 1) / 366 = 0.5 → 50.5 years; at 12:00 half a day more.
        DateTimeStep s = new DateTimeStep("t", "yyyy-MM-dd HH:mm:ss", true, true, 50.0, 2.0);
        CompiledPipeline p = new CompiledPipeline(List.of("t"), 8, List.of(s), null);
        assertEquals(List.of("t:hour_sin", "t:hour_cos", "t:dow_sin", "t:dow_cos", "t:month_sin", "t:month_cos", "t:trend", "t:missing"),
                p.featureNames());
        assertEquals((50.5 - 50.0) / 2.0, p.transform(new String[] {"2020-07-02 00:00:00"})[6], 1e-12);
        assertEquals((50.5 + 0.5 / 366 - 50.0) / 2.0, p.transform(new String[] {"2020-07-02 12:00:00"})[6], 1e-12);
        assertEquals((49.0 - 50.0) / 2.0, p.transform(new String[] {"2019-01-01 00:00:00"})[6], 1e-12);
        double[] missing = p.transform(new String[] {"NA"});
        assertEquals(0.0, missing[6], 0.0);
        assertEquals(1.0, missing[7], 0.0);
        // A date-only pattern: midnight.
        DateTimeStep d = new DateTimeStep("d", "yyyy-MM-dd", false, false, 0.0, 1.0);
        double[] f = new CompiledPipeline(List.of("d"), 5, List.of(d), null).transform(new String[] {"1970-01-01"});
        assertEquals(0.0, f[4], 0.0);
        assertThrows(IllegalArgumentException.class, () -> new DateTimeStep("d", "yyyy-MM-dd", false, false, 0.0, 0.0));
    }

    @Test
    void dateTrendRoundTripsAndOlderPlansWithoutItStillRead() {
        CompiledPipeline with = new CompiledPipeline(List.of("t"), 5,
                List.of(new DateTimeStep("t", "yyyy-MM-dd", false, false, 50.25, 1.5)), null);
        String json = with.toJson();
        assertTrue(json.contains("\"trend\""), json);
        assertEquals(with, CompiledPipeline.fromJson(json));
        assertEquals(json, CompiledPipeline.fromJson(json).toJson());
        CompiledPipeline without = new CompiledPipeline(List.of("t"), 4, List.of(new DateTimeStep("t", "yyyy-MM-dd", false, false)), null);
        String old = without.toJson();
        assertTrue(!old.contains("trend"), old); // written exactly as before the option existed
        assertEquals(without, CompiledPipeline.fromJson(old));
    }
}
