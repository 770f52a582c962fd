package io.micromodels.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real-world CSV shapes: each is a correct parse or a clear error naming file, line and column. */
class TableTest {

    private static Table parse(String text) {
        return Table.parse(new StringReader(text), "t.csv", ',');
    }

    private static void assertMessage(DataException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void plainCsv() {
        Table t = parse("a,b\n1,x\n2,y\n");
        assertEquals(List.of("a", "b"), t.header());
        assertEquals(2, t.rowCount());
        assertArrayEquals(new String[] {"2", "y"}, t.row(1));
        assertEquals(3, t.line(1));
    }

    @Test
    void quotedFieldsWithSeparatorsEscapedQuotesAndLineBreaks() {
        Table t = parse("name,comment,n\n\"Smith, John\",\"said \"\"hi\"\"\",1\n\"multi\nline\",\"\",2\nplain,5'10\",3\n");
        assertEquals(3, t.rowCount());
        assertArrayEquals(new String[] {"Smith, John", "said \"hi\"", "1"}, t.row(0));
        assertArrayEquals(new String[] {"multi\nline", "", "2"}, t.row(1));
        assertArrayEquals(new String[] {"plain", "5'10\"", "3"}, t.row(2));
        assertEquals(2, t.line(0));
        assertEquals(3, t.line(1));
        assertEquals(5, t.line(2)); // the quoted line break moved the next record to line 5
    }

    @Test
    void utf8BomIsSkipped() {
        Table t = Table.parse("\uFEFFdate,x\n2016-10-01 00:00:00,1\n", "bom.csv", ',');
        assertEquals("date", t.header().get(0));
    }

    @Test
    void bomInFileBytes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bom.csv");
        byte[] body = "a,b\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(f, bytes);
        Table t = Table.read(f, ',');
        assertEquals(List.of("a", "b"), t.header());
        assertArrayEquals(new String[] {"1", "2"}, t.row(0));
    }

    @Test
    void crlfAndCrLineEndings() {
        Table crlf = parse("a,b\r\n1,2\r\n3,4\r\n");
        assertArrayEquals(new String[] {"3", "4"}, crlf.row(1));
        assertEquals(3, crlf.line(1));
        Table cr = parse("a,b\r1,2\r3,4");
        assertArrayEquals(new String[] {"3", "4"}, cr.row(1));
    }

    @Test
    void semicolonSeparator() {
        Table t = Table.parse("a;b;c\n1,5;x;\"q;r\"\n", "eu.csv", ';');
        assertEquals(List.of("a", "b", "c"), t.header());
        assertArrayEquals(new String[] {"1,5", "x", "q;r"}, t.row(0));
    }

    @Test
    void blankLinesAndMissingFinalNewlineAreFine() {
        Table t = parse("a,b\n\n1,2\n\n3,\n\n");
        assertEquals(2, t.rowCount());
        assertArrayEquals(new String[] {"3", ""}, t.row(1));
        assertEquals(5, t.line(1));
    }

    @Test
    void headerOnlyIsAClearError() {
        DataException e = assertThrows(DataException.class, () -> parse("a,b,c\n"));
        assertMessage(e, "t.csv", "header", "no data rows");
    }

    @Test
    void emptyFileIsAClearError() {
        assertMessage(assertThrows(DataException.class, () -> parse("")), "t.csv", "empty");
        assertMessage(assertThrows(DataException.class, () -> parse("\uFEFF\n\n")), "t.csv", "empty");
    }

    @Test
    void raggedRowNamesLineAndColumnCounts() {
        DataException e = assertThrows(DataException.class, () -> parse("a,b,c\n1,2,3\n4,5\n"));
        assertMessage(e, "t.csv", "line 3", "has 2 columns", "expected 3");
        e = assertThrows(DataException.class, () -> parse("a,b\r\n1,2\r\n\"x\ny\",2,3\r\n"));
        assertMessage(e, "line 3", "has 3 columns", "expected 2");
    }

    @Test
    void wrongSeparatorGivesAHint() {
        DataException e = assertThrows(DataException.class, () -> Table.parse("a;b\n1;2\n", "eu.csv", ',').require("b", "target"));
        assertMessage(e, "eu.csv", "'b' not found", "a;b", "';'");
    }

    @Test
    void unterminatedQuoteAndGarbageAfterQuote() {
        assertMessage(assertThrows(DataException.class, () -> parse("a,b\n1,\"open\n2,3\n")), "t.csv", "line 2", "column 2", "never closed");
        assertMessage(assertThrows(DataException.class, () -> parse("a,b\n1,\"x\"y\n")), "line 2", "column 2", "after a closing quote");
    }

    @Test
    void headerProblems() {
        assertMessage(assertThrows(DataException.class, () -> parse("a,,c\n1,2,3\n")), "header column 2", "no name");
        assertMessage(assertThrows(DataException.class, () -> parse("a,b,a\n1,2,3\n")), "duplicate column name 'a'", "columns 1 and 3");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path f = dir.resolve("nope.csv");
        DataException e = assertThrows(DataException.class, () -> Table.read(f, ','));
        assertMessage(e, f.toString(), "not found");
        e = assertThrows(DataException.class, () -> DataPipeline.prepare(f, DataOptions.of("y")));
        assertMessage(e, "nope.csv", "not found");
    }

    @Test
    void invalidUtf8IsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        assertMessage(assertThrows(DataException.class, () -> Table.read(f, ',')), "latin1.csv", "UTF-8");
    }

    @Test
    void columnAccessAndMissingColumnListsAvailable() {
        Table t = parse("a,b\n1,2\n3,4\n");
        assertEquals(List.of("2", "4"), t.column("b"));
        DataException e = assertThrows(DataException.class, () -> t.require("zz", "target"));
        assertMessage(e, "'zz' not found", "available columns: a, b");
        assertMessage(assertThrows(DataException.class, () -> Table.of("mem", List.of("a"), java.util.Collections.singletonList(new String[] {"1", "2"}))), "row 1", "2 cells");
    }
}
