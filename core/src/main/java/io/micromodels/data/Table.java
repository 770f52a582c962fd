package io.micromodels.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parsed CSV: a header, rows of raw text cells, the source name, and for each row the 1-based line number where it
 * starts in the file (for error messages). Cells are exactly as written (quotes removed, whitespace kept); header names
 * are stripped.
 *
 * <p>Read one with {@link #read(Path, char)} or {@link #parse(Reader, String, char)}; the parsing rules (BOM, CRLF,
 * quotes, ragged rows) are described in {@code CsvParser}'s Javadoc and every malformed shape is a
 * {@link DataException} naming the file, line and column.
 *
 * <p>Immutable: rows handed out are copies, so a table can be shared between threads.
 */
public final class Table {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lines;
    private final char separator;

    Table(String source, List<String> header, List<String[]> rows, int[] lines, char separator) {
        this.source = source;
        this.separator = separator;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * A table from cells already in memory; line numbers are taken as 2, 3, ... (row 1 being the header).
     *
     * @throws DataException when a row's length differs from the header's
     */
    public static Table of(String source, List<String> header, List<String[]> rows) {
        Objects.requireNonNull(source, "source");
        List<String[]> copy = new ArrayList<>(rows.size());
        int[] lines = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (r.length != header.size()) {
                throw new DataException(source + ": row " + (i + 1) + " has " + r.length + " cells, expected "
                        + header.size() + " (columns: " + String.join(", ", header) + ")");
            }
            copy.add(r.clone());
            lines[i] = i + 2;
        }
        return new Table(source, header, copy, lines, ',');
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
        return rows.size();
    }

    /** A copy of row {@code i} (0-based), [header().size()] cells. */
    public String[] row(int i) {
        return rows.get(i).clone();
    }

    /** All rows, as copies. */
    public List<String[]> rows() {
        List<String[]> out = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            out.add(r.clone());
        }
        return Collections.unmodifiableList(out);
    }

    /** Rows without copying: for this package's read-only use. */
    List<String[]> rowsView() {
        return rows;
    }

    /** Cell {@code c} of row {@code r} (both 0-based), as written. */
    String cell(int r, int c) {
        return rows.get(r)[c];
    }

    /** A table like this one where the given cells are empty (missing): column index → row indices. */
    Table withMissing(java.util.Map<Integer, int[]> cells) {
        List<String[]> copy = new ArrayList<>(rows);
        cells.forEach((c, rs) -> {
            for (int r : rs) {
                String[] row = copy.get(r);
                if (row == rows.get(r)) {
                    row = row.clone();
                    copy.set(r, row);
                }
                row[c] = "";
            }
        });
        return new Table(source, header, copy, lines, separator);
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
        List<String> out = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            out.add(r[c]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Table(" + source + ": " + rows.size() + " rows x " + header.size() + " columns " + header + ")";
    }
}
