package io.micromodels.spark;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Objective;
import io.micromodels.tune.TrialExecutor;
import io.micromodels.tune.TrialOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A {@link TrialExecutor} whose trials train on the executors of an Apache Spark application, while the driver (this
 * JVM) keeps the study, its sampler and its storage. The prepared data is broadcast once (train and validation splits,
 * the fitted pipeline: {@link TrialData}); every trial, or with {@code population} every batch, is one Spark job of one
 * task, submitted from its own driver thread so that a batch's jobs run side by side on the executors' cores; each job's
 * result is handed to the study the moment that job ends, so the trial is recorded then, not at the end of the batch.
 * A task lost with its executor (a worker killed) is run again by Spark elsewhere; the trial's outcome still comes back
 * once, from the one job. A job that fails for good (Spark gave up) becomes a failed trial naming the error.
 *
 * <p>A complete trial's trained parameters come back with its outcome (a few kilobytes for a micromodel), so the
 * study keeps the best network exactly as trained on the executor, and progress, leaderboard and the best model are
 * those of a local run.
 *
 * <pre>{@code
 * try (Study study = Study.create(dir, options);
 *      SparkTrialExecutor spark = SparkTrialExecutor.start(new SparkMaster("local[2]"), study.objective(), false, false)) {
 *     study.setExecutor(spark.shared()); // or hand it over: study.setExecutor(spark)
 *     study.run((trial, all) -> System.out.println(trial.number() + " " + trial.score()));
 * }
 * }</pre>
 */
public final class SparkTrialExecutor implements TrialExecutor {
    private final JavaSparkContext sc;
    private final boolean ownsContext;
    private final Objective objective;
    private final boolean stopOnObjective;
    private final boolean population;
    private final ExecutorService waiters;
    private Broadcast<TrialData> broadcast;
    private PreparedData broadcastOf;
    private String broadcastKey;
    private boolean closed;

    private SparkTrialExecutor(JavaSparkContext sc, boolean ownsContext, Objective objective, boolean stopOnObjective,
                               boolean population) {
        this.sc = sc;
        this.ownsContext = ownsContext;
        this.objective = Objects.requireNonNull(objective, "objective must not be null");
        this.stopOnObjective = stopOnObjective;
        this.population = population;
        AtomicInteger n = new AtomicInteger();
        this.waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "micromodels-spark-trial-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a Spark application on {@code master} (closed with this executor). Settings given as {@code spark.*} system
     * properties or by {@code spark-submit} win over the defaults set here: application name {@code micromodels tune},
     * {@code OMP_NUM_THREADS=1} in executors (one thread per trial, as locally), and the driver's class path as the
     * executors' extra class path (right when the executors see the project's jars at the same paths: this machine,
     * or a shared install; otherwise ship them with {@code spark-submit --jars}).
     *
     * @param master          where to run
     * @param objective       what trials are scored by
     * @param stopOnObjective whether trials stop early on it (else on the validation loss)
     * @param population      whether each batch trains as one population in one task (else one task per trial)
     * @return the executor
     */
    public static SparkTrialExecutor start(SparkMaster master, Objective objective, boolean stopOnObjective,
                                           boolean population) {
        return start(master, java.util.Map.of(), objective, stopOnObjective, population);
    }

    /**
     * As {@link #start(SparkMaster, Objective, boolean, boolean)}, with Spark settings that win over every default.
     *
     * @param settings {@code spark.*} settings, e.g. {@code spark.executor.memory}
     */
    public static SparkTrialExecutor start(SparkMaster master, java.util.Map<String, String> settings, Objective objective,
                                           boolean stopOnObjective, boolean population) {
        Objects.requireNonNull(master, "master must not be null");
        SparkConf conf = new SparkConf().setMaster(master.url());
        settings.forEach(conf::set);
        conf.setIfMissing("spark.app.name", "micromodels tune");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (!master.local()) {
            conf.setIfMissing("spark.executor.extraClassPath", absolute(System.getProperty("java.class.path", "")));
        }
        return new SparkTrialExecutor(new JavaSparkContext(conf), true, objective, stopOnObjective, population);
    }

    /**
     * @param classPath entries separated by the path separator
     * @return the same entries as absolute paths (executors start in their own working folders)
     */
    static String absolute(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator)))
                .filter(e -> !e.isEmpty()).map(e -> java.nio.file.Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * An executor on a Spark context the caller owns (it is not stopped by {@link #close()}).
     *
     * @param sc              the context
     * @param objective       what trials are scored by
     * @param stopOnObjective whether trials stop early on it
     * @param population      whether each batch trains as one population in one task
     * @return the executor
     */
    public static SparkTrialExecutor on(JavaSparkContext sc, Objective objective, boolean stopOnObjective,
                                        boolean population) {
        return new SparkTrialExecutor(Objects.requireNonNull(sc, "sc must not be null"), false, objective,
                stopOnObjective, population);
    }

    /** @return the Spark context trials run on */
    public JavaSparkContext context() {
        return sc;
    }

    /** @return Spark's default parallelism: the cores of the executors registered (local: the threads) */
    public int defaultParallelism() {
        return sc.defaultParallelism();
    }

    @Override
    public List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData data,
                                  ObjIntConsumer<TrialOutcome> finished) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Broadcast<TrialData> b = broadcastFor(data);
        String metric = objective.metricName();
        List<List<Integer>> groups = new ArrayList<>();
        if (population) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                all.add(i);
            }
            groups.add(all);
        } else {
            for (int i = 0; i < candidates.size(); i++) {
                groups.add(List.of(i));
            }
        }
        TrialOutcome[] out = new TrialOutcome[candidates.size()];
        List<Future<?>> jobs = new ArrayList<>();
        for (List<Integer> group : groups) {
            List<MicromodelSpec> specs = group.stream().map(candidates::get).toList();
            TrialTask task = new TrialTask(specs, objective, stopOnObjective, population);
            jobs.add(waiters.submit(() -> {
                List<TrialTask.Result> results;
                long start = System.nanoTime();
                try {
                    sc.setJobDescription("micromodels trial" + (specs.size() > 1 ? "s (population of " + specs.size() + ")" : ""));
                    results = sc.parallelize(List.of(task), 1).map(new TrialTask.Train(b)).collect().get(0);
                } catch (RuntimeException e) {
                    String why = "Spark job failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
                    results = null;
                    for (int j = 0; j < group.size(); j++) {
                        TrialOutcome o = TrialOutcome.failed(specs.get(j), metric, why, (System.nanoTime() - start) / 1e9);
                        out[group.get(j)] = o;
                        finished.accept(o, group.get(j));
                    }
                    return;
                }
                for (int j = 0; j < group.size(); j++) {
                    TrialOutcome o = results.get(j).toOutcome(specs.get(j));
                    out[group.get(j)] = o;
                    finished.accept(o, group.get(j));
                }
            }));
        }
        RuntimeException error = null;
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sc.cancelAllJobs();
                throw new IllegalStateException("interrupted while trials were running on Spark", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (error == null) {
                    error = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            }
        }
        if (error != null) {
            throw error;
        }
        return List.of(out);
    }

    /** The broadcast of {@code data}, made on first use and again only when the study hands other data. */
    private synchronized Broadcast<TrialData> broadcastFor(PreparedData data) {
        if (closed) {
            throw new IllegalStateException("this Spark trial executor is closed");
        }
        if (broadcastOf != data) {
            destroyBroadcast();
            String key = sc.sc().applicationId() + "/" + data.sha256() + "/" + System.identityHashCode(data);
            broadcast = sc.broadcast(TrialData.of(data, key));
            broadcastKey = key;
            broadcastOf = data;
        }
        return broadcast;
    }

    private void destroyBroadcast() {
        if (broadcast != null) {
            TrialData.forget(broadcastKey);
            broadcast.destroy();
            broadcast = null;
            broadcastOf = null;
        }
    }

    /** Destroys the broadcast data and stops the Spark application if this executor started it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiters.shutdownNow();
        try {
            destroyBroadcast();
        } finally {
            if (ownsContext) {
                sc.close();
            }
        }
    }
}
