package io.micromodels.data;

import io.micromodels.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The train/validation/test split as a file, {@code split.csv}: header {@code row,part}, then one line per used row,
 * {@code row} the 0-based index of the data row in the input file (the line after the header is row 0; rows are
 * counted as the CSV parser reads them, a quoted cell spanning lines being one row), {@code part} one of
 * {@code train}, {@code validation}, {@code test}. Lines are in the order each part uses its rows (train first), so
 * that reading the file back gives the same split in the same order, hence the same model.
 *
 * <p>Reading ({@link DataOptions#splitFile()}) checks that every row the pipeline uses (after removing duplicates
 * and rows with a missing target) is listed exactly once, that no other row is, and that each part has a row;
 * errors name the file and line.
 */
public final class SplitFile {
    /** The header line. */
    public static final String HEADER = "row,part";
    /** The parts, in file order. */
    public static final List<String> PARTS = List.of("train", "validation", "test");

    private SplitFile() {
    }

    /**
     * Writes {@code split.csv} through a temporary file and an atomic rename.
     *
     * @param file      where to write
     * @param splitRows {train, validation, test} data-row indices ({@link PreparedData.Raw#splitRows()})
     */
    public static void write(Path file, int[][] splitRows, boolean replace) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int p = 0; p < 3; p++) {
            for (int r : splitRows[p]) {
                sb.append(r).append(',').append(PARTS.get(p)).append('\n');
            }
        }
        try {
            AtomicFiles.write(file, replace, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The split a file gives the kept rows of a table (step 4 of {@link DataPipeline#prepare} with a split file). */
    static Splitter.Split split(Path file, Table table, RowFilter.Kept kept, TaskInference.Target target) {
        int[][] positions = read(file, table.rowCount(), kept.rows());
        return new Splitter.Split(positions, "from " + file.getFileName() + " (" + positions[0].length + "/"
                + positions[1].length + "/" + positions[2].length + ")");
    }

    /**
     * Parses a split file against the used rows.
     *
     * @param rowCount data rows in the input file
     * @param used     the used data rows, ascending
     * @return {train, validation, test} as positions in {@code used}, in file order
     * @throws DataException naming the file and line
     */
    static int[][] read(Path file, int rowCount, int[] used) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": split file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read split file " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().replace("\uFEFF", "").equals(HEADER)) {
            throw new DataException(file + ": line 1: the header must be '" + HEADER + "', got '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        int[] position = new int[rowCount];
        Arrays.fill(position, -1);
        for (int i = 0; i < used.length; i++) {
            position[used[i]] = i;
        }
        int[] seenOn = new int[used.length];
        int[][] parts = {new int[used.length], new int[used.length], new int[used.length]};
        int[] sizes = new int[3];
        for (int l = 1; l < lines.size(); l++) {
            String line = lines.get(l).strip();
            int lineNo = l + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 2) {
                throw new DataException(file + ": line " + lineNo + ": expected 'row,part', got '" + line + "'");
            }
            int row;
            try {
                row = Integer.parseInt(f[0].strip());
            } catch (NumberFormatException e) {
                throw new DataException(file + ": line " + lineNo + ": row must be a 0-based data-row index, got '" + f[0] + "'");
            }
            int part = PARTS.indexOf(f[1].strip());
            if (part < 0) {
                throw new DataException(file + ": line " + lineNo + ": unknown part '" + f[1].strip()
                        + "' (expected train, validation or test)");
            }
            if (row < 0 || row >= rowCount) {
                throw new DataException(file + ": line " + lineNo + ": row " + row + " is not a data row of the input (it has "
                        + rowCount + " data rows, 0 to " + (rowCount - 1) + ")");
            }
            int p = position[row];
            if (p < 0) {
                throw new DataException(file + ": line " + lineNo + ": row " + row + " is not used (an exact duplicate of an "
                        + "earlier row, or its target is missing): leave it out of the split file");
            }
            if (seenOn[p] != 0) {
                throw new DataException(file + ": line " + lineNo + ": row " + row + " is listed twice (first on line "
                        + seenOn[p] + ")");
            }
            seenOn[p] = lineNo;
            parts[part][sizes[part]++] = p;
        }
        for (int i = 0; i < used.length; i++) {
            if (seenOn[i] == 0) {
                throw new DataException(file + ": row " + used[i] + " is used but not listed; every used row must be in "
                        + "the split file once (" + used.length + " used rows, " + (sizes[0] + sizes[1] + sizes[2]) + " listed)");
            }
        }
        for (int s = 0; s < 3; s++) {
            if (sizes[s] == 0) {
                throw new DataException(file + ": no row in part '" + PARTS.get(s) + "'; each part needs at least one");
            }
        }
        return new int[][] {Arrays.copyOf(parts[0], sizes[0]), Arrays.copyOf(parts[1], sizes[1]), Arrays.copyOf(parts[2], sizes[2])};
    }
}
