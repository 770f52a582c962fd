package io.micromodels.bench.data;

import io.micromodels.bench.ChildJvm;
import io.micromodels.bench.Processes;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Preparing and training on big generated CSVs: {@code prepare ROWS COLUMNS} times {@code DataPipeline.prepare} on a
 * seeded CSV of ROWS rows and COLUMNS columns (the target included; about 70% numeric columns with 1% missing cells, the
 * rest categorical with 4 to 40 levels; binary target), and {@code train ROWS COLUMNS EPOCHS} also trains the default
 * micromodel for EPOCHS epochs and prints each epoch's time. Each case runs in a child JVM with {@code -Xmx2g}, so
 * "under 2 GB of heap" is enforced, not estimated (an OutOfMemoryError fails the case).
 *
 * <p>Printed per case: wall-clock and CPU time of the prepare (main thread, and whole JVM including JIT and GC), the
 * peak heap (sum of the heap pools' peak usage since just before the prepare: an upper bound of the true peak), the
 * process's peak resident memory (VmHWM: heap, ND4J's off-heap arrays, code), GC count and time, and the machine load
 * at the start. On a shared machine the wall clock includes waiting for a core; the CPU time does not.
 *
 * <pre>
 * java -cp ... io.micromodels.bench.data.BigDataBenchmark              # both cases, each in a child JVM
 * java -Xmx2g -cp ... io.micromodels.bench.data.BigDataBenchmark prepare 1000000 20
 * java -Xmx2g -cp ... io.micromodels.bench.data.BigDataBenchmark train 200000 6 3
 * </pre>
 */
public final class BigDataBenchmark {
    private BigDataBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            runAll(List.of(List.of("prepare", "1000000", "20"), List.of("train", "200000", "6", "3")));
            return;
        }
        if (args[0].equals("child")) {
            runAll(List.of(List.of(args).subList(1, args.length)));
            return;
        }
        int rows = Integer.parseInt(args[1]);
        int cols = Integer.parseInt(args[2]);
        int epochs = args[0].equals("train") ? Integer.parseInt(args[3]) : 0;
        if (!args[0].equals("prepare") && !args[0].equals("train")) {
            throw new IllegalArgumentException("usage: [prepare ROWS COLUMNS | train ROWS COLUMNS EPOCHS]");
        }
        run(rows, cols, epochs);
    }

    /** Runs each case in a child JVM with -Xmx2g, echoing its output. */
    static void runAll(List<List<String>> cases) {
        for (List<String> c : cases) {
            Processes.Outcome o = new ChildJvm(BigDataBenchmark.class.getName()).jvmArg("-Xmx2g").args(c)
                    .timeout(Duration.ofMinutes(60)).run(System.out::println);
            if (o.exitCode() != 0) {
                throw new IllegalStateException("case " + c + " failed (exit " + o.exitCode() + "): " + o.lastStderrLine());
            }
        }
    }

    static void run(int rows, int cols, int epochs) throws IOException {
        Path dir = Files.createTempDirectory("micromodels-bigdata");
        Path csv = dir.resolve("big_" + rows + "x" + cols + ".csv");
        try {
            long g0 = System.nanoTime();
            generate(csv, rows, cols, 42L);
            System.out.printf(Locale.ROOT, "generated %s: %d rows x %d columns, %.1f MB, in %.1f s (not timed below)%n", csv.getFileName(),
                    rows, cols, Files.size(csv) / 1e6, (System.nanoTime() - g0) / 1e9);
            org.nd4j.linalg.factory.Nd4j.create(1); // ND4J start-up outside the measurement
            System.gc();
            System.out.printf(Locale.ROOT, "load average at start: %s; -Xmx %.0f MB; %d cores%n", loadAverage(),
                    Runtime.getRuntime().maxMemory() / 1e6, Runtime.getRuntime().availableProcessors());
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                p.resetPeakUsage();
            }
            watchLiveHeap();
            long gcCount0 = gcCount();
            long gcTime0 = gcTime();
            long c0 = threadCpu();
            long p0 = processCpu();
            long t0 = System.nanoTime();
            PreparedData data = DataPipeline.prepare(csv, DataOptions.of("target"));
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (threadCpu() - c0) / 1e9;
            double jvmCpu = (processCpu() - p0) / 1e9;
            System.out.printf(Locale.ROOT, "prepare %d x %d: %.1f s wall, %.1f s main-thread CPU, %.1f s JVM CPU; peak heap %.0f MB "
                            + "(sum of pool peaks), %.0f MB live after GC at most; peak RSS %.0f MB; GC %d collections, %.1f s; width %d, "
                            + "train/val/test %d/%d/%d%n",
                    rows, cols, wall, cpu, jvmCpu, peakHeap() / 1e6, maxLiveAfterGc / 1e6, peakRss() / 1e6, gcCount() - gcCount0,
                    (gcTime() - gcTime0) / 1e3,
                    data.pipeline().width(), data.train().numExamples(), data.validation().numExamples(), data.test().numExamples());
            if (epochs > 0) {
                MicromodelSpec spec = io.micromodels.spec.Micromodel.from(TrainedModel.defaultSpec(data)).epochs(epochs).patience(0).build();
                double[] last = {0};
                List<Double> perEpoch = new ArrayList<>();
                long tc0 = threadCpu();
                try (TrainedModel m = TrainedModel.train(data, spec, csv.toString(), r -> {
                    perEpoch.add(r.seconds() - last[0]);
                    System.out.printf(Locale.ROOT, "  epoch %d: %.1f s (train loss %.4f, val loss %.4f)%n", r.epoch(),
                            r.seconds() - last[0], r.trainLoss(), r.validationLoss());
                    last[0] = r.seconds();
                })) {
                    double median = perEpoch.stream().sorted().toList().get(perEpoch.size() / 2);
                    System.out.printf(Locale.ROOT, "train %d x %d, %s, batch %d: median %.1f s per epoch wall over %d epochs, "
                                    + "%.1f s main-thread CPU in all; peak heap %.0f MB (since the prepare); peak RSS %.0f MB%n",
                            rows, cols, spec.shape(), spec.batchSize(), median, epochs, (threadCpu() - tc0) / 1e9, peakHeap() / 1e6, peakRss() / 1e6);
                }
            }
        } finally {
            Files.deleteIfExists(csv);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A seeded CSV: {@code cols - 1} features then {@code target} (yes/no). Feature j is numeric when j % 10 < 7 (a
     * Gaussian with its own scale, four decimals, 1% empty cells), else categorical with 4 + 4·(j % 10) levels.
     */
    static void generate(Path csv, int rows, int cols, long seed) {
        Random r = new Random(seed);
        int features = cols - 1;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < features; j++) {
                line.append(j % 10 < 7 ? "x" : "c").append(j).append(',');
            }
            w.append(line).append("target\n");
            double[] scale = new double[features];
            for (int j = 0; j < features; j++) {
                scale[j] = Math.pow(10, j % 4 - 1);
            }
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                double logit = 0;
                for (int j = 0; j < features; j++) {
                    if (j % 10 < 7) {
                        double z = r.nextGaussian();
                        logit += (j % 3 == 0 ? 0.8 : -0.3) * z;
                        if (r.nextInt(100) != 0) {
                            line.append(Math.round(z * scale[j] * 1e4) / 1e4);
                        }
                    } else {
                        int level = r.nextInt(4 + 4 * (j % 10));
                        logit += level % 2 == 0 ? 0.4 : -0.4;
                        line.append("level").append(level);
                    }
                    line.append(',');
                }
                line.append(logit + r.nextGaussian() > 0 ? "yes" : "no").append('\n');
                w.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The most heap in use right after any collection since {@link #watchLiveHeap()}: the live data's peak (sampled at GCs). */
    private static volatile long maxLiveAfterGc;

    private static void watchLiveHeap() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
                    long used = 0;
                    for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (isHeapPool(entry.getKey())) {
                            used += entry.getValue().getUsed();
                        }
                    }
                    maxLiveAfterGc = Math.max(maxLiveAfterGc, used);
                }, null, null);
            }
        }
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(name)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM of this process in bytes, or -1 off Linux. */
    private static long peakRss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcTime() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }
}
