package io.micromodels.bench.data;

import io.micromodels.data.PipelineCompiler;
import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.frozen.plan.CompiledPipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times loading + preparing the two largest bundled datasets (flights, 20k rows; metro traffic, 17.5k rows) with
 * their catalog defaults: {@code Datasets.load(name).prepare(seed)} — CSV parse, inference, cleaning, split, fitting,
 * DataVec transform of all rows, ND4J arrays. The target is under 2 s per dataset.
 *
 * <p>Prints ND4J's native start-up time (paid once per JVM, by whatever touches ND4J first), the first (cold) run of
 * each dataset after it — class loading and interpreted code — then
 * the median and min of {@code runs} timed runs after {@code warmup} untimed ones, and the compiled (frozen)
 * pipeline's cost per row. Wall-clock and CPU time are both shown: on a shared machine the wall clock includes waiting
 * for a core, the main thread's CPU time does not. The last line is the headline: {@code slowest dataset prepare: X ms} (the larger median).
 *
 * <pre>
 * java -cp ... io.micromodels.bench.data.DataBenchmark [warmup=3] [runs=7]
 * java -cp ... io.micromodels.bench.data.DataBenchmark big [prepare ROWS COLUMNS | train ROWS COLUMNS EPOCHS]
 * </pre>
 * The {@code big} form runs {@link BigDataBenchmark} (generated CSVs of up to a million rows, each case in a
 * {@code -Xmx2g} child JVM).
 */
public final class DataBenchmark {
    private DataBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("big")) {
            try {
                BigDataBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> names = List.of("flights_2001_20k", "metro_i94_traffic");
        long s0 = System.nanoTime();
        org.nd4j.linalg.factory.Nd4j.create(1);
        System.out.printf(Locale.ROOT, "ND4J backend start-up (first INDArray): %.1f ms%n", (System.nanoTime() - s0) / 1e6);
        double[] cold = new double[names.size()];
        for (int d = 0; d < names.size(); d++) {
            long c0 = threadCpu();
            long p0 = processCpu();
            long t0 = System.nanoTime();
            PreparedData p = Datasets.load(names.get(d)).prepare(42);
            cold[d] = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "%-20s cold (first) run: %8.1f ms wall after ND4J start-up; CPU %.1f ms main thread, %.1f ms whole JVM"
                            + " (JIT, GC) (%d rows used, width %d)%n", names.get(d), cold[d], (threadCpu() - c0) / 1e6, (processCpu() - p0) / 1e6,
                    p.report().rowsUsed(), p.pipeline().width());
        }
        double slowest = 0;
        for (String name : names) {
            for (int i = 0; i < warmup; i++) {
                Datasets.load(name).prepare(42 + i);
            }
            double[] ms = new double[runs];
            double[] cpu = new double[runs];
            for (int i = 0; i < runs; i++) {
                long c0 = threadCpu();
                long t0 = System.nanoTime();
                Datasets.load(name).prepare(100 + i);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (threadCpu() - c0) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);
            double median = ms[runs / 2];
            slowest = Math.max(slowest, median);
            System.out.printf(Locale.ROOT, "%-20s load+prepare: median %8.1f ms wall (min %.1f, max %.1f), median %.1f ms main-thread CPU, over %d runs after %d warm-up%n",
                    name, median, ms[0], ms[runs - 1], cpu[runs / 2], runs, warmup);
            frozenPerRow(name);
        }
        System.out.printf(Locale.ROOT, "slowest dataset prepare: %.1f ms%n", slowest);
    }

    private static long threadCpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    /** Median over 7 passes of the compiled pipeline's time per row, all rows of the dataset. */
    private static void frozenPerRow(String name) {
        BundledDataset d = Datasets.load(name);
        FittedPipeline p = d.prepare(42).pipeline();
        CompiledPipeline c = PipelineCompiler.compile(p);
        Table t = d.table();
        int[] map = new int[c.columns().size()];
        for (int j = 0; j < map.length; j++) {
            map[j] = t.indexOf(c.columns().get(j));
        }
        List<String[]> rows = t.rows();
        String[][] raw = new String[rows.size()][map.length];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < map.length; j++) {
                raw[i][j] = rows.get(i)[map[j]];
            }
        }
        double[] features = new double[c.width()];
        double[] perRow = new double[7];
        double sink = 0;
        for (int pass = 0; pass < perRow.length + 3; pass++) {
            long t0 = System.nanoTime();
            for (String[] r : raw) {
                c.transform(r, features);
                sink += features[0];
            }
            if (pass >= 3) {
                perRow[pass - 3] = (System.nanoTime() - t0) / 1e3 / raw.length;
            }
        }
        Arrays.sort(perRow);
        System.out.printf(Locale.ROOT, "%-20s frozen transform: median %.3f us/row over %d rows (checksum %.3f)%n", name,
                perRow[perRow.length / 2], raw.length, sink);
    }
}
