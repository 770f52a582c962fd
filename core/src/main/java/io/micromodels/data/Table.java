package io.micromodels.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A parsed CSV: a header, rows of raw text cells, the source name, and for each row the 1-based line number where it
 * starts in the file (for error messages). Cells are exactly as written (quotes removed, whitespace kept); header names
 * are stripped. The cells are held compactly in a {@link CellStore} (one character buffer and one offset per cell),
 * so a million rows of 20 columns fit in a few hundred MB; {@link #row(int)} and {@link #rows()} make strings on
 * demand.
 *
 * <p>Read one with {@link #read(Path, char)} or {@link #parse(Reader, String, char)}; the parsing rules (BOM, CRLF,
 * quotes, ragged rows) are described in {@code CsvParser}'s Javadoc and every malformed shape is a
 * {@link DataException} naming the file, line and column.
 *
 * <p>Immutable: rows handed out are new arrays, so a table can be shared between threads.
 */
public final class Table {
    private final String source;
    private final List<String> header;
    private final CellStore cells;
    private final int[] lines;
    private final char separator;

    Table(String source, List<String> header, CellStore cells, int[] lines, char separator) {
        this.source = source;
        this.separator = separator;
        this.header = List.copyOf(header);
        this.cells = cells;
        this.lines = lines;
        if (cells.columns() != header.size() || cells.rows() != lines.length) {
            throw new IllegalStateException(cells.rows() + " x " + cells.columns() + " cells for " + lines.length + " lines x " + header.size() + " columns");
        }
    }

    /**
     * A table from cells already in memory; line numbers are taken as 2, 3, ... (row 1 being the header).
     *
     * @throws DataException when a row's length differs from the header's
     */
    public static Table of(String source, List<String> header, List<String[]> rows) {
        Objects.requireNonNull(source, "source");
        CellStore.Builder b = new CellStore.Builder(header.size(), 16, rows.size());
        int[] lines = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (r.length != header.size()) {
                throw new DataException(source + ": row " + (i + 1) + " has " + r.length + " cells, expected "
                        + header.size() + " (columns: " + String.join(", ", header) + ")");
            }
            for (String cell : r) {
                // A null cell is stored as empty: both are missing (Cells.isMissing).
                if (cell != null) {
                    b.append(cell, 0, cell.length());
                }
                b.endCell();
            }
            b.endRow();
            lines[i] = i + 2;
        }
        return new Table(source, header, b.build(), lines, ',');
    }

    /** Reads a UTF-8 CSV file. A missing or unreadable file is a {@link DataException} naming it. */
    public static Table read(Path csv, char separator) {
        return CsvParser.parse(CsvParser.decodeUtf8(readBytes(csv), csv.toString()), csv.toString(), separator);
    }

    /** Parses CSV text from a reader (read to the end, not closed). */
    public static Table parse(Reader csv, String sourceName, char separator) {
        return CsvParser.parse(readAll(csv, sourceName), sourceName, separator);
    }

    /** Parses CSV text. */
    public static Table parse(String csv, String sourceName, char separator) {
        return CsvParser.parse(csv, sourceName, separator);
    }

    static byte[] readBytes(Path csv) {
        try {
            if (Files.isDirectory(csv)) {
                throw new DataException(csv + ": is a directory, expected a CSV file");
            }
            return Files.readAllBytes(csv);
        } catch (NoSuchFileException e) {
            throw new DataException(csv + ": file not found");
        } catch (AccessDeniedException e) {
            throw new DataException(csv + ": permission denied");
        } catch (IOException e) {
            throw new DataException(csv + ": cannot read: " + e.getMessage(), e);
        }
    }

    static String readAll(Reader reader, String sourceName) {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[1 << 16];
        try {
            int k;
            while ((k = reader.read(buf)) >= 0) {
                sb.append(buf, 0, k);
            }
        } catch (IOException e) {
            throw new DataException(sourceName + ": cannot read: " + e.getMessage(), e);
        }
        return sb.toString();
    }

    /** Where the data came from (a path or a name). */
    public String source() {
        return source;
    }

    /** Column names in file order. */
    public List<String> header() {
        return header;
    }

    /** Number of data rows (the header excluded). */
    public int rowCount() {
        return lines.length;
    }

    /** A copy of row {@code i} (0-based), [header().size()] cells. */
    public String[] row(int i) {
        return cells.row(i);
    }

    /** All rows, as copies. */
    public List<String[]> rows() {
        List<String[]> out = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            out.add(cells.row(i));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The rows as a list made on demand: each {@code get} builds that row's strings (the caller may keep or change
     * them). For this package's row-at-a-time readers; column-wise code uses {@link #cell(int, int)}.
     */
    List<String[]> rowsView() {
        return new RowView();
    }

    private final class RowView extends AbstractList<String[]> implements RandomAccess {
        @Override
        public String[] get(int index) {
            Objects.checkIndex(index, lines.length);
            return cells.row(index);
        }

        @Override
        public int size() {
            return lines.length;
        }
    }

    /** Cell {@code c} of row {@code r} (both 0-based), as written. */
    public String cell(int r, int c) {
        return cells.get(r, c);
    }

    /** The compact cells (read only). */
    CellStore cells() {
        return cells;
    }

    /** A table like this one where the given cells are empty (missing): column index → row indices. */
    Table withMissing(java.util.Map<Integer, int[]> blanks) {
        return new Table(source, header, cells.withEmpty(blanks), lines, separator);
    }

    /** 1-based line number in the source where data row {@code i} (0-based) starts. */
    public int line(int i) {
        return lines[i];
    }

    /** Index of a column, or -1. */
    public int indexOf(String column) {
        return header.indexOf(column);
    }

    /** Index of a column; a {@link DataException} listing the available columns when absent. */
    public int require(String column, String role) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new DataException(source + ": " + role + " column '" + column + "' not found; available columns: "
                    + String.join(", ", header) + CsvParser.separatorHint(header, separator));
        }
        return i;
    }

    /** The cells of one column, top to bottom. */
    public List<String> column(String name) {
        int c = require(name, "requested");
        List<String> out = new ArrayList<>(lines.length);
        for (int r = 0; r < lines.length; r++) {
            out.add(cells.get(r, c));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Table(" + source + ": " + lines.length + " rows x " + header.size() + " columns " + header + ")";
    }
}
