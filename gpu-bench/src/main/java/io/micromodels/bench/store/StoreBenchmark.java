package io.micromodels.bench.store;

import io.micromodels.bench.BenchContext;
import io.micromodels.bench.BenchSuite;
import io.micromodels.bench.Measurement;
import io.micromodels.bench.Measurer;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Times saving and loading a micromodel with {@link ModelStore} (format 2: manifest, configuration JSON, {@code .npy}
 * parameters, checks at save and load) against DL4J's {@code ModelSerializer} writing and restoring the network
 * alone (what format 1 did for the network part, with Java deserialisation). Two models on the Cleveland heart
 * data: the default 32-16 micromodel and a wide 3x256 one. Operations are interleaved so a slow spell on a shared
 * machine falls on all of them; each line also gives the median main-thread CPU time, which leaves out waiting for
 * a core and for the disk ({@code ModelStore.save} forces the file to disk before renaming it). The headline is
 * the load time of the default model.
 *
 * <pre>
 * ./micromodels bench store [--suite quick|full]
 * </pre>
 */
public final class StoreBenchmark implements BenchSuite {
    @Override
    public String description() {
        return "save/load of a model zip (format 2) vs DL4J ModelSerializer";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
        int w = data.pipeline().width();
        List<MicromodelSpec> specs = List.of(
                Micromodel.from(TrainedModel.defaultSpec(data)).epochs(5).patience(0).seed(1).build(),
                Micromodel.classifier(2).input(w).dense(256, Activation.RELU).dense(256, Activation.RELU)
                        .dense(256, Activation.RELU).adam(1e-3).epochs(5).patience(0).seed(1).build());
        Path dir = Files.createTempDirectory("store-bench");
        Measurer.Plan plan = ctx.plan();
        double headline = Double.NaN;
        for (MicromodelSpec spec : specs) {
            try (TrainedModel model = TrainedModel.train(data, spec, "heart_disease_cleveland")) {
                Path zip = dir.resolve("m.zip");
                ModelStore.save(model, zip, true);
                ByteArrayOutputStream legacy = new ByteArrayOutputStream();
                ModelSerializer.writeModel(model.network(), legacy, false);
                byte[] network = legacy.toByteArray();
                List<Measurer.Op> ops = List.of(
                        new Measurer.Op(() -> ModelStore.save(model, zip, true), 1),
                        new Measurer.Op(() -> ModelStore.load(zip).close(), 1),
                        new Measurer.Op(() -> serialise(model), 1),
                        new Measurer.Op(() -> restore(network), 1));
                List<Measurement> m = Measurer.measureInterleaved(plan, ops);
                String[] names = {"ModelStore.save (format 2)", "ModelStore.load (format 2)",
                        "ModelSerializer.writeModel (network only)", "ModelSerializer.restore (network only)"};
                ctx.println(String.format(Locale.ROOT, "%s, %d parameters, model zip %d bytes:", spec.shape(),
                        spec.parameterCount(), Files.size(zip)));
                int cpuRuns = ctx.quick() ? 7 : 21;
                for (int i = 0; i < names.length; i++) {
                    ctx.println(String.format(Locale.ROOT, "  %-44s median %8.2f ms wall (IQR %.2f ms, %d samples), %8.2f ms main-thread CPU",
                            names[i], m.get(i).median() / 1e3, m.get(i).iqr() / 1e3, m.get(i).n(),
                            cpuMillis(ops.get(i).op(), cpuRuns)));
                }
                if (Double.isNaN(headline)) {
                    headline = m.get(1).median() / 1e3;
                }
            }
        }
        try (var s = Files.list(dir)) {
            for (Path p : new ArrayList<>(s.toList())) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        ctx.headline(String.format(Locale.ROOT, "default model load: %.2f ms", headline));
    }

    /** Median main-thread CPU time of {@code op} over {@code runs} calls, in ms: what the wall clock shows without waiting for a core or the disk. */
    private static double cpuMillis(Runnable op, int runs) {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = bean.getCurrentThreadCpuTime();
            op.run();
            ms[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static void serialise(TrainedModel model) {
        try {
            ModelSerializer.writeModel(model.network(), new ByteArrayOutputStream(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restore(byte[] network) {
        try {
            io.micromodels.train.TrainingResult.release(
                    ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
