package io.micromodels.spark.train;

import io.micromodels.data.DataException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where each record of a CSV file starts among the physical lines that Spark's text input ({@code textFile}, Hadoop's
 * line reader) yields, so that the executors can tell the training rows from the others by line number.
 *
 * <p>The scan follows the project's CSV rules (see {@code io.micromodels.data.Table}): a leading UTF-8 BOM is skipped,
 * lines end at LF, CRLF or CR, completely empty lines are not records, a field starting with {@code "} is quoted and
 * {@code ""} inside it is one quote. A quoted field that contains a line break would split a record across Spark's
 * lines: such a file is refused, naming the line.
 *
 * @param header  the header record's text (without BOM or line end)
 * @param rowLine per data row (0-based, the header not counted, as {@code split.csv} numbers them), the 0-based
 *                physical line it is on: {@code [rows]}
 * @param lines   the number of physical lines (the last one counted even without a line end)
 */
record CsvLines(String header, int[] rowLine, int lines) {

    /**
     * Scans a CSV file.
     *
     * @throws DataException naming the file and line for a quoted line break, or for a missing or unreadable file
     */
    static CsvLines scan(Path csv, char separator) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
            return scan(in, csv.toString(), separator);
        } catch (NoSuchFileException e) {
            throw new DataException(csv + ": file not found");
        } catch (IOException e) {
            throw new DataException(csv + ": cannot read: " + e.getMessage(), e);
        }
    }

    static CsvLines scan(InputStream in, String source, char separator) throws IOException {
        int[] rows = new int[1024];
        int nRows = 0;
        int line = 0;
        boolean empty = true;
        boolean fieldStart = true;
        boolean quoted = false;
        boolean quoteSeen = false; // a quote inside a quoted field: the end of the field, or the first of ""
        boolean headerDone = false;
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
        int b = in.read();
        if (b == 0xEF) { // a UTF-8 byte-order mark is EF BB BF
            int b2 = in.read();
            int b3 = in.read();
            if (b2 != 0xBB || b3 != 0xBF) {
                throw new DataException(source + ": line 1: not valid UTF-8 at the start of the file");
            }
            b = in.read();
        }
        for (; b >= 0; b = in.read()) {
            if (quoteSeen) {
                quoteSeen = false;
                if (b == '"') { // "" inside a quoted field
                    if (!headerDone) {
                        header.write(b);
                    }
                    quoted = true;
                    continue;
                }
            }
            if (quoted) {
                if (b == '"') {
                    quoted = false;
                    quoteSeen = true;
                } else if (b == '\n' || b == '\r') {
                    throw new DataException(source + ": line " + (line + 1) + ": a quoted field holds a line break; train "
                            + "--spark reads the CSV one line per row (Spark's text input): remove the line breaks inside "
                            + "quoted fields, or train without --spark");
                }
                if (!headerDone) {
                    header.write(b);
                }
                continue;
            }
            if (b == '\n' || b == '\r') {
                if (!empty) {
                    if (!headerDone) {
                        headerDone = true;
                    } else {
                        if (nRows == rows.length) {
                            rows = Arrays.copyOf(rows, nRows * 2);
                        }
                        rows[nRows++] = line;
                    }
                }
                if (b == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                line++;
                empty = true;
                fieldStart = true;
                continue;
            }
            empty = false;
            if (!headerDone) {
                header.write(b);
            }
            if (fieldStart && b == '"') {
                quoted = true;
            }
            fieldStart = b == separator;
        }
        if (quoted) {
            throw new DataException(source + ": line " + (line + 1) + ": a quoted field is never closed (missing closing \")");
        }
        if (!empty) {
            if (!headerDone) {
                headerDone = true;
            } else {
                if (nRows == rows.length) {
                    rows = Arrays.copyOf(rows, nRows + 1);
                }
                rows[nRows++] = line;
            }
            line++;
        }
        if (!headerDone) {
            throw new DataException(source + ": the file is empty (no header row)");
        }
        return new CsvLines(header.toString(StandardCharsets.UTF_8), Arrays.copyOf(rows, nRows), line);
    }
}
