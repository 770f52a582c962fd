package io.micromodels.data;

import java.util.Arrays;

/**
 * The cells of a table in two arrays instead of one {@code String} per cell: every cell's characters one after
 * another in {@code chars}, and {@code ends[r * columns + c]} the end (exclusive) of cell c of row r; a cell starts
 * where the previous one ends. A million rows of 20 short cells take about 20 MB of offsets plus the text itself,
 * where {@code String[]} rows took about 60 bytes per cell more.
 *
 * <p>Immutable once built ({@link Builder#build()}); cells are handed out as new strings.
 */
final class CellStore {
    private final char[] chars;
    private final int[] ends;
    private final int columns;
    private final int rows;

    private CellStore(char[] chars, int[] ends, int columns, int rows) {
        this.chars = chars;
        this.ends = ends;
        this.columns = columns;
        this.rows = rows;
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    /** Start (inclusive) of cell c of row r in {@link #chars()}. */
    int start(int r, int c) {
        int i = r * columns + c;
        return i == 0 ? 0 : ends[i - 1];
    }

    /** End (exclusive) of cell c of row r in {@link #chars()}. */
    int end(int r, int c) {
        return ends[r * columns + c];
    }

    /** The shared character buffer (read only). */
    char[] chars() {
        return chars;
    }

    String get(int r, int c) {
        int s = start(r, c);
        return new String(chars, s, ends[r * columns + c] - s);
    }

    String[] row(int r) {
        String[] out = new String[columns];
        for (int c = 0; c < columns; c++) {
            out[c] = get(r, c);
        }
        return out;
    }

    /** 64-bit hash of a whole row: the characters and the cell boundaries (so "a","bc" and "ab","c" differ). */
    long rowHash(int r) {
        long h = 0x9E3779B97F4A7C15L;
        int base = start(r, 0);
        int end = end(r, columns - 1);
        for (int i = base; i < end; i++) {
            h = (h ^ chars[i]) * 0x100000001B3L;
        }
        for (int c = 0; c < columns; c++) {
            h = (h ^ (end(r, c) - base)) * 0xFF51AFD7ED558CCDL;
        }
        return h ^ (h >>> 29);
    }

    /** Whether rows a and b hold exactly the same cells. */
    boolean sameRow(int a, int b) {
        int sa = start(a, 0);
        int sb = start(b, 0);
        for (int c = 0; c < columns; c++) {
            if (end(a, c) - sa != end(b, c) - sb) {
                return false;
            }
        }
        return Arrays.equals(chars, sa, end(a, columns - 1), chars, sb, end(b, columns - 1));
    }

    /** A copy where the given cells are empty: column index → row indices. */
    CellStore withEmpty(java.util.Map<Integer, int[]> cells) {
        boolean[] blank = new boolean[rows * columns];
        cells.forEach((c, rs) -> {
            for (int r : rs) {
                blank[r * columns + c] = true;
            }
        });
        Builder b = new Builder(columns, chars.length, rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (!blank[r * columns + c]) {
                    int s = start(r, c);
                    b.append(chars, s, end(r, c) - s);
                }
                b.endCell();
            }
        }
        return b.build();
    }

    /** Appends cells row by row; {@link #cellsInRow()} and {@link #dropRow()} let a parser check or undo a record. */
    static final class Builder {
        private final int columns;
        private char[] chars;
        private int length;
        private int[] ends;
        private int cells;
        private int rowStart;

        /** @param expectedChars a capacity hint (the text length is an upper bound for a parser) */
        Builder(int columns, int expectedChars, int expectedRows) {
            this.columns = columns;
            this.chars = new char[Math.max(16, expectedChars)];
            this.ends = new int[Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, (long) columns * Math.max(1, expectedRows)))];
        }

        void append(char c) {
            if (length == chars.length) {
                chars = Arrays.copyOf(chars, grow(chars.length));
            }
            chars[length++] = c;
        }

        void append(CharSequence s, int from, int to) {
            ensure(to - from);
            for (int i = from; i < to; i++) {
                chars[length++] = s.charAt(i);
            }
        }

        void append(char[] src, int from, int count) {
            ensure(count);
            System.arraycopy(src, from, chars, length, count);
            length += count;
        }

        private void ensure(int more) {
            if (length + more > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(length + more, grow(chars.length)));
            }
        }

        private static int grow(int n) {
            return (int) Math.min(Integer.MAX_VALUE - 8, n + (long) n / 2 + 16);
        }

        void endCell() {
            if (cells == ends.length) {
                ends = Arrays.copyOf(ends, grow(ends.length));
            }
            ends[cells++] = length;
        }

        /** Cells appended since the last {@link #endRow()}. */
        int cellsInRow() {
            return cells - rowStart;
        }

        /** Marks the end of a row. */
        void endRow() {
            rowStart = cells;
        }

        /** Removes the cells appended since the last {@link #endRow()}. */
        void dropRow() {
            cells = rowStart;
            length = rowStart == 0 ? 0 : ends[rowStart - 1];
        }

        CellStore build() {
            if (cells % columns != 0) {
                throw new IllegalStateException(cells + " cells is not a whole number of rows of " + columns);
            }
            // Trim only when much was over-allocated: a copy costs a moment but can return hundreds of MB.
            char[] c = chars.length - length > (1 << 20) && chars.length - length > length / 8 ? Arrays.copyOf(chars, length) : chars;
            int[] e = ends.length - cells > (1 << 18) && ends.length - cells > cells / 8 ? Arrays.copyOf(ends, cells) : ends;
            return new CellStore(c, e, columns, cells / columns);
        }
    }
}
