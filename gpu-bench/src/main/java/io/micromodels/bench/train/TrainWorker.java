package io.micromodels.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.bench.Measurement;
import io.micromodels.bench.Measurer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryManager;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Properties;

/**
 * Child-JVM side of {@link TrainThroughput}: measures a list of training tasks in a JVM whose
 * OpenMP thread count was fixed by its environment before ND4J loaded, printing one JSON object
 * per line on stdout.
 *
 * <p>Argument: one JSON object {@code {"seed":42,"jvmWarmupMillis":3000,"plan":{...Measurer.Plan...},
 * "tasks":[{"width":32,"batch":64,"settings":{...TrainSettings...}}]}}; before the first task the
 * reference model is trained for {@code jvmWarmupMillis} in total with every distinct setting. Output lines: first
 * {@code {"type":"env",...}} (threads, backend, periodic GC default), then per task
 * {@code {"type":"result",...,"samples_us":[...]}} or {@code {"type":"error",...}}.
 */
public final class TrainWorker {

    /** Distinct pre-built batches cycled through by the training loop. */
    static final int BATCHES = 8;

    private TrainWorker() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode spec = json.readTree(args[0]);
        long seed = spec.path("seed").asLong(42);
        Measurer.Plan plan = json.treeToValue(spec.get("plan"), Measurer.Plan.class);

        MemoryManager mm = Nd4j.getMemoryManager();
        boolean gcDefault = mm.isPeriodicGcActive();
        int gcWindowDefault = mm.getAutoGcWindow();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        int threads = Nd4j.getEnvironment().maxThreads();
        ObjectNode envLine = json.createObjectNode();
        envLine.put("type", "env");
        envLine.put("threads", threads);
        envLine.put("omp_threads", String.valueOf(env.get("omp.threads")));
        envLine.put("blas_threads", String.valueOf(env.get("blas.threads")));
        envLine.put("backend", Nd4j.getBackend().getClass().getName());
        envLine.put("periodic_gc_default", gcDefault);
        envLine.put("gc_window_default_ms", gcWindowDefault);
        envLine.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        System.out.println(json.writeValueAsString(envLine));

        jvmWarmup(json, spec, seed);

        for (JsonNode task : spec.get("tasks")) {
            int width = task.get("width").asInt();
            int batch = task.get("batch").asInt();
            TrainSettings s = json.treeToValue(task.get("settings"), TrainSettings.class);
            ObjectNode out = json.createObjectNode();
            out.put("width", width);
            out.put("batch", batch);
            out.set("settings", json.valueToTree(s));
            out.put("threads", threads);
            try {
                String gcApplied = applyGc(mm, s.gc(), gcDefault, gcWindowDefault);
                Measurement m = measure(plan, width, batch, s, seed);
                out.put("type", "result");
                out.put("gc_applied", gcApplied);
                ArrayNode samples = out.putArray("samples_us");
                m.samples().forEach(samples::add);
            } catch (Throwable e) {
                out.put("type", "error");
                out.put("error", e.toString());
            }
            System.out.println(json.writeValueAsString(out));
            System.out.flush();
        }
        System.exit(0);
    }

    /**
     * Trains the reference model with every distinct setting of the task list for
     * {@code jvmWarmupMillis} in total before anything is measured, so that JIT compilation and
     * ND4J's first-use costs do not land in the first measurements.
     */
    static void jvmWarmup(ObjectMapper json, JsonNode spec, long seed) throws Exception {
        long total = spec.path("jvmWarmupMillis").asLong(0);
        if (total <= 0) return;
        Set<TrainSettings> distinct = new LinkedHashSet<>();
        for (JsonNode task : spec.get("tasks")) distinct.add(json.treeToValue(task.get("settings"), TrainSettings.class));
        long each = Math.max(1, total / distinct.size());
        for (TrainSettings s : distinct) {
            Measurer.measure(new Measurer.Plan(each, 20, 1, 1), warmupOp(s, seed), 1);
        }
    }

    private static Runnable warmupOp(TrainSettings s, long seed) {
        MultiLayerNetwork net = ReferenceMlp.build(TrainThroughput.REF_WIDTH, s, seed);
        List<DataSet> data = SyntheticData.batches(TrainThroughput.SWEEP_BATCH, BATCHES, DataType.valueOf(s.dtype()), seed);
        ListDataSetIterator<DataSet> it = SyntheticData.rowIterator(data, TrainThroughput.SWEEP_BATCH);
        int[] i = {0};
        return () -> {
            DataSet d = data.get(i[0]++ % BATCHES);
            switch (s.fit()) {
                case "iterator" -> {
                    it.reset();
                    net.fit(it);
                }
                case "arrays" -> net.fit(d.getFeatures(), d.getLabels());
                default -> net.fit(d);
            }
        };
    }

    /** Applies a periodic-GC setting, returning what is in effect. */
    static String applyGc(MemoryManager mm, String gc, boolean gcDefault, int windowDefault) {
        boolean on = switch (gc) {
            case "on" -> true;
            case "off" -> false;
            case "flip" -> !gcDefault;
            default -> gcDefault;
        };
        mm.togglePeriodicGc(on);
        mm.setAutoGcWindow(on && !gc.equals("default") ? TrainSettings.GC_WINDOW_MS : windowDefault);
        return on ? "on/" + mm.getAutoGcWindow() + "ms" : "off";
    }

    /** Builds a fresh network and measures one training iteration (µs per iteration). */
    static Measurement measure(Measurer.Plan plan, int width, int batch, TrainSettings s, long seed) {
        DataType dt = DataType.valueOf(s.dtype());
        MultiLayerNetwork net = ReferenceMlp.build(width, s, seed);
        List<DataSet> data = SyntheticData.batches(batch, BATCHES, dt, seed + 1000L * width + batch);
        switch (s.fit()) {
            case "iterator" -> {
                ListDataSetIterator<DataSet> it = SyntheticData.rowIterator(data, batch);
                return Measurer.measure(plan, () -> {
                    it.reset();
                    net.fit(it);
                }, BATCHES);
            }
            case "arrays" -> {
                int[] i = {0};
                return Measurer.measure(plan, () -> {
                    DataSet d = data.get(i[0]++ % BATCHES);
                    net.fit(d.getFeatures(), d.getLabels());
                }, 1);
            }
            default -> {
                int[] i = {0};
                return Measurer.measure(plan, () -> net.fit(data.get(i[0]++ % BATCHES)), 1);
            }
        }
    }
}
