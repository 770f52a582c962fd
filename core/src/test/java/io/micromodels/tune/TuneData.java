package io.micromodels.tune;

import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.PreparedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** Small seeded CSVs for tuning tests. */
public final class TuneData {
    private TuneData() {
    }

    /** x1,x2,x3,c,y with y = (x1 + 0.5 x2 + noise > 0) as yes/no; c a noise category. */
    public static Path binaryCsv(Path dir, int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("x1,x2,x3,c,y\n");
        String[] cats = {"a", "b", "c"};
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double x3 = r.nextGaussian();
            boolean y = x1 + 0.5 * x2 + 0.7 * r.nextGaussian() > 0;
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s,%s%n", x1, x2, x3, cats[r.nextInt(3)], y ? "yes" : "no"));
        }
        Path file = dir.resolve("binary.csv");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Prepared data of {@link #binaryCsv}, split with {@code seed}. */
    public static PreparedData binary(Path dir, int n, long seed) throws IOException {
        return DataPipeline.prepare(binaryCsv(dir, n, seed), DataOptions.builder("y").seed(seed).build());
    }
}
