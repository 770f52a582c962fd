package io.micromodels.data;

/**
 * A row-major feature buffer: {@code data[i * width + j]} is feature j of row i. One allocation per batch instead of
 * one array per row (the flights data is 20000 x 443 doubles).
 */
final class Rows {
    final int n;
    final int width;
    final double[] data;

    Rows(int n, int width) {
        this.n = n;
        this.width = width;
        this.data = new double[n * width];
    }

    double get(int i, int j) {
        return data[i * width + j];
    }

    /** A copy keeping only the given feature groups, in order. */
    Rows select(java.util.List<int[]> groups) {
        int w = groups.stream().mapToInt(g -> g.length).sum();
        Rows out = new Rows(n, w);
        for (int i = 0; i < n; i++) {
            int at = i * w;
            for (int[] g : groups) {
                for (int f : g) {
                    out.data[at++] = data[i * width + f];
                }
            }
        }
        return out;
    }
}
