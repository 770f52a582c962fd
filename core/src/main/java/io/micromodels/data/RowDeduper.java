package io.micromodels.data;

import java.util.Arrays;

/**
 * Equality of rows and of cells straight on a {@link CellStore}'s characters, with open-addressing hash tables of row
 * indices: exact duplicate rows, and the number of distinct values of a column, without a string or a list per row.
 */
final class RowDeduper {
    private RowDeduper() {
    }

    /** {@code [rows]}: true for a row that repeats an earlier row cell for cell (the first occurrence is false). */
    static boolean[] duplicates(CellStore cells) {
        int n = cells.rows();
        boolean[] out = new boolean[n];
        int[] table = newTable(n);
        long[] hashes = new long[table.length];
        int mask = table.length - 1;
        for (int r = 0; r < n; r++) {
            long h = spread(cells.rowHash(r));
            int slot = (int) h & mask;
            while (true) {
                int other = table[slot];
                if (other < 0) {
                    table[slot] = r;
                    hashes[slot] = h;
                    break;
                }
                if (hashes[slot] == h && cells.sameRow(other, r)) {
                    out[r] = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return out;
    }

    /**
     * Distinct values of column {@code col} among the rows {@code rows[0..count)}, each compared after stripping
     * leading and trailing whitespace ({@link String#strip()}).
     */
    static int distinctStripped(CellStore cells, int col, int[] rows, int count) {
        char[] chars = cells.chars();
        int[] table = newTable(count);
        long[] hashes = new long[table.length]; // compared first, so another row's characters are read only on a match
        int mask = table.length - 1;
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            int s = stripStart(chars, cells.start(r, col), cells.end(r, col));
            int e = stripEnd(chars, s, cells.end(r, col));
            long h = 0xCBF29CE484222325L;
            for (int k = s; k < e; k++) {
                h = (h ^ chars[k]) * 0x100000001B3L;
            }
            h = spread(h);
            int slot = (int) h & mask;
            while (true) {
                int other = table[slot];
                if (other < 0) {
                    table[slot] = r;
                    hashes[slot] = h;
                    distinct++;
                    break;
                }
                if (hashes[slot] == h) {
                    int os = stripStart(chars, cells.start(other, col), cells.end(other, col));
                    int oe = stripEnd(chars, os, cells.end(other, col));
                    if (Arrays.equals(chars, s, e, chars, os, oe)) {
                        break;
                    }
                }
                slot = (slot + 1) & mask;
            }
        }
        return distinct;
    }

    private static int stripStart(char[] chars, int s, int e) {
        while (s < e && Character.isWhitespace(chars[s])) {
            s++;
        }
        return s;
    }

    private static int stripEnd(char[] chars, int s, int e) {
        while (e > s && Character.isWhitespace(chars[e - 1])) {
            e--;
        }
        return e;
    }

    /** A table of at least twice {@code n} slots (a power of two), all empty (-1). */
    private static int[] newTable(int n) {
        int size = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
        int[] t = new int[size];
        Arrays.fill(t, -1);
        return t;
    }

    private static long spread(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
