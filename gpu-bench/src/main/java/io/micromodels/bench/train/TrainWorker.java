package io.micromodels.bench.train;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import io.micromodels.bench.ReferenceNetwork;
import io.micromodels.json.StrictJson;
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

import java.util.ArrayList;
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
 * {@code {"type":"result",...,"samples_us":[...]}} or {@code {"type":"error",...}}. Consecutive
 * tasks at the same width and batch are variants and are measured with interleaved repeats
 * ({@link Measurer#measureInterleaved}).
 */
public final class TrainWorker {

    /** Distinct pre-built batches cycled through by the training loop. */
    static final int BATCHES = 8;

    private TrainWorker() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = StrictJson.mapper();
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

        // Consecutive tasks at the same (width, batch) are variants: measure them interleaved.
        List<JsonNode> tasks = new ArrayList<>();
        spec.get("tasks").forEach(tasks::add);
        for (int from = 0; from < tasks.size(); ) {
            int to = from + 1;
            while (to < tasks.size() && samePoint(tasks.get(from), tasks.get(to))) to++;
            measureGroup(json, plan, tasks.subList(from, to), mm, gcDefault, gcWindowDefault, threads, seed);
            from = to;
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
            Measurer.Op op = trainOp(TrainThroughput.REF_WIDTH, TrainThroughput.SWEEP_BATCH, s, seed);
            Measurer.measure(new Measurer.Plan(each, 20, 1, 1), op.op(), op.itersPerOp());
        }
    }

    private static boolean samePoint(JsonNode a, JsonNode b) {
        return a.get("width").asInt() == b.get("width").asInt() && a.get("batch").asInt() == b.get("batch").asInt();
    }

    private static void measureGroup(ObjectMapper json, Measurer.Plan plan, List<JsonNode> group, MemoryManager mm,
                                     boolean gcDefault, int gcWindowDefault, int threads, long seed) throws Exception {
        List<ObjectNode> lines = new ArrayList<>();
        List<Measurer.Op> ops = new ArrayList<>();
        List<String> gcApplied = new ArrayList<>();
        for (JsonNode task : group) {
            int width = task.get("width").asInt();
            int batch = task.get("batch").asInt();
            TrainSettings s = json.treeToValue(task.get("settings"), TrainSettings.class);
            ObjectNode out = json.createObjectNode();
            out.put("width", width);
            out.put("batch", batch);
            out.set("settings", json.valueToTree(s));
            out.put("threads", threads);
            out.put("interleaved_with", group.size() - 1);
            lines.add(out);
            String[] applied = {""};
            Runnable prepare = () -> applied[0] = applyGc(mm, s.gc(), gcDefault, gcWindowDefault);
            prepare.run();
            gcApplied.add(applied[0]);
            Measurer.Op op = trainOp(width, batch, s, seed);
            ops.add(new Measurer.Op(prepare, op.op(), op.itersPerOp()));
        }
        try {
            List<Measurement> ms = Measurer.measureInterleaved(plan, ops);
            for (int k = 0; k < lines.size(); k++) {
                ObjectNode out = lines.get(k);
                out.put("type", "result");
                out.put("gc_applied", gcApplied.get(k));
                ArrayNode samples = out.putArray("samples_us");
                ms.get(k).samples().forEach(samples::add);
            }
        } catch (Throwable e) {
            for (ObjectNode out : lines) {
                out.put("type", "error");
                out.put("error", e.toString());
            }
        }
        applyGc(mm, "default", gcDefault, gcWindowDefault);
        for (ObjectNode out : lines) System.out.println(json.writeValueAsString(out));
        System.out.flush();
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

    /** A fresh network and its training operation (one iteration, or one epoch of {@link #BATCHES} for the iterator). */
    static Measurer.Op trainOp(int width, int batch, TrainSettings s, long seed) {
        DataType dt = DataType.valueOf(s.dtype());
        WorkspaceMode ws = s.workspaces() ? WorkspaceMode.ENABLED : WorkspaceMode.NONE;
        MultiLayerNetwork net = ReferenceNetwork.dl4j(width, seed, dt, ws, ws);
        List<DataSet> data = SyntheticData.batches(batch, BATCHES, dt, seed + 1000L * width + batch);
        int[] i = {0};
        return switch (s.fit()) {
            case "iterator" -> {
                ListDataSetIterator<DataSet> it = SyntheticData.rowIterator(data, batch);
                yield new Measurer.Op(() -> {
                    it.reset();
                    net.fit(it);
                }, BATCHES);
            }
            case "arrays" -> new Measurer.Op(() -> {
                DataSet d = data.get(i[0]++ % BATCHES);
                net.fit(d.getFeatures(), d.getLabels());
            }, 1);
            default -> new Measurer.Op(() -> net.fit(data.get(i[0]++ % BATCHES)), 1);
        };
    }
}
