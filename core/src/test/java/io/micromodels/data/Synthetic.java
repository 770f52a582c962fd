package io.micromodels.data;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Small seeded CSVs for tests, and independent helpers that read them back without the production parser. */
final class Synthetic {
    static final String SOURCE = "synthetic.csv";

    private Synthetic() {
    }

    /**
     * id,x,c,flag,y: x numeric (missing every 7th row, "NaN" every 13th), c categorical a/b/c (missing every 11th),
     * flag yes/no, y one of A (50%), B (30%), C (20%) by row index.
     */
    static String classification(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,x,c,flag,y\n");
        String[] levels = {"a", "b", "b", "c", "c", "c"};
        for (int i = 0; i < n; i++) {
            String x = i % 7 == 3 ? "" : i % 13 == 5 ? "NaN" : String.format(Locale.ROOT, "%.3f", 50 + 10 * r.nextGaussian());
            String c = i % 11 == 4 ? "" : levels[r.nextInt(levels.length)];
            String flag = r.nextBoolean() ? "yes" : "no";
            int m = i % 10;
            String y = m < 5 ? "A" : m < 8 ? "B" : "C";
            sb.append(i).append(',').append(x).append(',').append(c).append(',').append(flag).append(',').append(y).append('\n');
        }
        return sb.toString();
    }

    /** id,x1,x2,t: t = 3*x1 + noise + 100 (regression), x2 noise. */
    static String regression(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,x1,x2,t\n");
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian() * 5;
            double x2 = r.nextGaussian();
            double t = 3 * x1 + 0.5 * r.nextGaussian() + 100;
            sb.append(i).append(',').append(String.format(Locale.ROOT, "%.4f,%.4f,%.3f", x1, x2, t)).append('\n');
        }
        return sb.toString();
    }

    static PreparedData prepare(String csv, DataOptions options) {
        return DataPipeline.prepare(new StringReader(csv), SOURCE, options);
    }

    /** Rows split naively on commas (the synthetic files have no quotes); header excluded. */
    static List<String[]> rows(String csv) {
        String[] lines = csv.split("\n");
        List<String[]> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            out.add(lines[i].split(",", -1));
        }
        return out;
    }

    static boolean blank(String s) {
        return s.isEmpty() || s.equals("NaN");
    }
}
