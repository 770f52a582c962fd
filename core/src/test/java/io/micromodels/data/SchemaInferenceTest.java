package io.micromodels.data;

import org.datavec.api.transform.ColumnType;
import org.datavec.api.transform.schema.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaInferenceTest {

    private static final String CSV = String.join("\n",
            "real,whole,word,flag,when,day,mixed,empty,code",
            "1.5,1,red,yes,2016-10-01 00:00:00,2001/01/01 00:47,1,,3",
            "2.25,,blue,No,2016-10-01 01:00:00,2001/01/02 13:05,x,,6",
            "-3e2,3,red,,2016-10-01 02:00:00,,2,NA,7",
            "NaN,-4,green,YES,2016-10-01 03:00:00,2001/03/31 22:27,3,,3", "");

    private static Map<String, ColumnInfo> infer(String csv, Map<String, ColumnKind> overrides, Map<String, String> patterns) {
        Table t = Table.parse(csv, "s.csv", ',');
        SchemaInference.Result r = SchemaInference.inferAll(t, t.header(), overrides, patterns);
        Map<String, ColumnInfo> m = new java.util.LinkedHashMap<>();
        r.columns().forEach(c -> m.put(c.name(), c));
        return m;
    }

    @Test
    void infersEachKind() {
        Table t = Table.parse(CSV, "s.csv", ',');
        SchemaInference.Result r = SchemaInference.inferAll(t, t.header(), Map.of(), Map.of());
        Map<String, ColumnInfo> m = infer(CSV, Map.of(), Map.of());
        assertEquals(ColumnKind.NUMERIC, m.get("real").kind());
        assertEquals(ColumnKind.INTEGER, m.get("whole").kind());
        assertEquals(ColumnKind.CATEGORICAL, m.get("word").kind());
        assertEquals(ColumnKind.BOOLEAN, m.get("flag").kind());
        assertEquals(List.of("yes"), m.get("flag").trueTokens());
        assertEquals(List.of("no"), m.get("flag").falseTokens());
        assertEquals(ColumnKind.DATETIME, m.get("when").kind());
        assertEquals("yyyy-MM-dd HH:mm:ss", m.get("when").pattern());
        assertEquals(ColumnKind.DATETIME, m.get("day").kind());
        assertEquals("yyyy/MM/dd HH:mm", m.get("day").pattern());
        assertEquals(ColumnKind.CATEGORICAL, m.get("mixed").kind());
        assertEquals(ColumnKind.INTEGER, m.get("code").kind());
        assertEquals(List.of("empty"), r.allMissing());
    }

    @Test
    void dateOnlyAndDayFirstPatterns() {
        Map<String, ColumnInfo> m = infer("d,e\n2020-02-29,31/12/2020\n2021-01-01,01/01/2021\n", Map.of(), Map.of());
        assertEquals("yyyy-MM-dd", m.get("d").pattern());
        assertTrue(!m.get("d").hasTime());
        assertEquals("dd/MM/yyyy", m.get("e").pattern());
        // 2021-02-29 does not exist: strict parsing refuses it, so the column is categorical.
        assertEquals(ColumnKind.CATEGORICAL, infer("d\n2021-02-29\n2021-01-01\n", Map.of(), Map.of()).get("d").kind());
    }

    @Test
    void overridesWinAndAreChecked() {
        Map<String, ColumnInfo> m = infer(CSV, Map.of("code", ColumnKind.CATEGORICAL, "whole", ColumnKind.NUMERIC), Map.of());
        assertEquals(ColumnKind.CATEGORICAL, m.get("code").kind());
        assertEquals(ColumnKind.NUMERIC, m.get("whole").kind());
        DataException e = assertThrows(DataException.class, () -> infer(CSV, Map.of("word", ColumnKind.NUMERIC), Map.of()));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'word'") && e.getMessage().contains("'red'"), e.getMessage());
        e = assertThrows(DataException.class, () -> infer(CSV, Map.of("word", ColumnKind.BOOLEAN), Map.of()));
        assertTrue(e.getMessage().contains("word") && e.getMessage().contains("BOOLEAN"), e.getMessage());
        e = assertThrows(DataException.class, () -> infer(CSV, Map.of("word", ColumnKind.DATETIME), Map.of()));
        assertTrue(e.getMessage().contains("word") && e.getMessage().contains("DATETIME"), e.getMessage());
        Map<String, ColumnInfo> p = infer("d\n01-02-2020 10h\n", Map.of(), Map.of("d", "dd-MM-yyyy HH'h'"));
        assertEquals(ColumnKind.DATETIME, p.get("d").kind());
        assertTrue(p.get("d").hasTime());
    }

    @Test
    void infiniteNumbersAreErrorsNamingFileLineColumn() {
        DataException e = assertThrows(DataException.class, () -> infer("x,y\n1,2\ninf,3\n", Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("s.csv") && e.getMessage().contains("line 3") && e.getMessage().contains("'x'")
                && e.getMessage().contains("infinite"), e.getMessage());
        e = assertThrows(DataException.class, () -> infer("x,y\n1e999,2\n", Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void dataVecSchema() {
        Map<String, ColumnInfo> m = infer(CSV, Map.of(), Map.of());
        m.remove("mixed");
        Schema s = SchemaInference.toDataVec(List.copyOf(m.values()), Map.of("word", List.of("blue", "green", "red")));
        assertEquals(ColumnType.Double, s.getType("real"));
        assertEquals(ColumnType.Integer, s.getType("whole"));
        assertEquals(ColumnType.Categorical, s.getType("word"));
        assertEquals(ColumnType.Boolean, s.getType("flag"));
        assertEquals(ColumnType.Time, s.getType("when"));
    }
}
