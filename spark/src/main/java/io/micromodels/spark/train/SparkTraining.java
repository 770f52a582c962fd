package io.micromodels.spark.train;

import io.micromodels.backend.Backend;
import io.micromodels.backend.BackendInfo;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.EarlyStopping;
import io.micromodels.train.EpochListener;
import io.micromodels.train.Metrics;
import io.micromodels.train.Objective;
import io.micromodels.train.Provenance;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingHistory;
import io.micromodels.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Trains one micromodel data-parallel on Spark with DL4J's parameter averaging ({@link SparkDl4jMultiLayer},
 * {@link ParameterAveragingTrainingMaster}) and returns a {@link TrainedModel} like {@link TrainedModel#train}'s: the
 * same fitted pipeline, test metrics, binary decision and a provenance whose recipe says {@link Recipe#SPARK} and
 * whose backend names the master and the executors' ND4J backend.
 *
 * <p>Each epoch is one {@code fit} of the training minibatches ({@link CsvDataSets}): every worker (a task slot) fits
 * {@code averagingFrequency} minibatches of {@code spec.batchSize()} rows from the averaged parameters and Adam state,
 * then the driver averages them; the network starts from the spec's seeded initialisation. After each epoch the driver
 * scores the validation split as {@link Trainer} does (loss without L1/L2, or the chosen metric) and keeps the best
 * epoch's parameters; it stops after {@code spec.patience()} epochs without improvement. Training rows per second and
 * the epoch's mean training loss come from the workers (a {@link TrainingHook} adding to Spark accumulators).
 *
 * <pre>{@code
 * try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("train"))) {
 *     PreparedData data = DataPipeline.prepare(csv, DataOptions.of("Status"));
 *     try (TrainedModel m = SparkTraining.train(sc, csv, data, TrainedModel.defaultSpec(data), csv.toString(),
 *             QualityOptions.defaults(), SparkTrainOptions.defaults(), System.err::println)) {
 *         ModelStore.save(m, Path.of("model.zip"), false);
 *     }
 * }
 * }</pre>
 *
 * <p>Not supported on Spark: class weights (per-example loss weights need the local trainer's weighted loss).
 */
public final class SparkTraining {
    /** Seconds between two progress lines within an epoch. */
    static final double PROGRESS_EVERY_SECONDS = 5.0;

    private SparkTraining() {
    }

    /**
     * Starts a Spark application for training on {@code master}; close it when done. Settings given as {@code spark.*}
     * system properties or by {@code spark-submit} win over the defaults set here, then {@code settings} over all:
     * application name {@code micromodels train}, {@code OMP_NUM_THREADS=1} in executors, and on a cluster the driver's
     * class path as the executors' extra class path (right when they see the project's jars at the same paths: this
     * machine or a shared install; otherwise ship them with {@code spark-submit --jars}) and a wait of up to 60 s for
     * every executor to register before training (DL4J sizes its averaging rounds by the task slots present).
     */
    public static JavaSparkContext context(io.micromodels.spark.SparkMaster master, java.util.Map<String, String> settings) {
        org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf().setMaster(master.url());
        settings.forEach(conf::set);
        conf.setIfMissing("spark.app.name", "micromodels train");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (!master.local()) {
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path", ""));
            conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0");
            conf.setIfMissing("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
        }
        return new JavaSparkContext(conf);
    }

    /**
     * Trains {@code spec} on the training rows of {@code csv}, read by the executors.
     *
     * @param data       {@code csv} prepared on the driver ({@code DataPipeline.prepare(csv, options)})
     * @param dataSource the CSV as recorded in provenance
     * @param progress   receives progress lines within long epochs (rows done, rows per second); may ignore them
     * @throws IllegalArgumentException for class weights, or a spec that does not fit the data
     */
    public static TrainedModel train(JavaSparkContext sc, Path csv, PreparedData data, MicromodelSpec spec, String dataSource,
                                     QualityOptions quality, SparkTrainOptions options, Consumer<String> progress,
                                     EpochListener... listeners) {
        TrainedModel.checkCompatible(spec, data.task(), data.pipeline().width());
        if (quality.classWeight() != ClassWeight.NONE) {
            throw new IllegalArgumentException("classWeight: class weights are not supported on Spark (they need the local "
                    + "trainer's per-example loss weights), got " + quality.classWeight().flagName());
        }
        Objective objective = quality.objective(data.task());
        DataSet validation = TrainedModel.trainingSplits(spec, data.task(), data, quality)[1];
        Trainer.Selection selection = quality.metricChosen()
                ? TrainedModel.selection(objective, validation, data.pipeline(), quality) : null;
        BackendInfo backend = sparkBackend(sc);
        JavaRDD<DataSet> batches = CsvDataSets.training(sc, csv, data, spec).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            TrainingResult r = fit(sc, batches, spec, Trainer.conform(spec, validation, "validation"), selection, options,
                    data.train().numExamples(), progress, listeners);
            Recipe recipe = Recipe.of(Recipe.SPARK, spec, data.options(), quality, 1);
            Provenance provenance = Provenance.now(spec, dataSource, data.sha256(), backend, r.bestEpoch(), r.epochsRun(),
                    r.seconds(), recipe);
            BinaryDecision decision = TrainedModel.decide(r.network(), spec, data.pipeline(), data.validation(), quality);
            TrainedModel untested = new TrainedModel(r.network(), spec, data.pipeline(), null, provenance, decision);
            Metrics test = untested.evaluate(data.test());
            return new TrainedModel(List.of(r.network()), spec, data.pipeline(), test, provenance, decision,
                    TrainingHistory.of(r));
        } finally {
            batches.unpersist(false);
        }
    }

    private static TrainingResult fit(JavaSparkContext sc, JavaRDD<DataSet> batches, MicromodelSpec spec, DataSet validation,
                                      Trainer.Selection selection, SparkTrainOptions options, int trainRows,
                                      Consumer<String> progress, EpochListener... listeners) {
        long start = System.nanoTime();
        LongAccumulator rows = sc.sc().longAccumulator("micromodels training rows");
        DoubleAccumulator loss = sc.sc().doubleAccumulator("micromodels training loss x rows");
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(spec.batchSize())
                .batchSizePerWorker(spec.batchSize())
                .averagingFrequency(options.averagingFrequency())
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // the minibatches come in one partition per task slot (CsvDataSets): no shuffle per averaging round
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .storageLevel(null) // persisted by the caller
                .rngSeed(Seeds.fork(spec.seed(), Seeds.BATCH_ORDER))
                .trainingHooks(new Counting(rows, loss))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, master);
        Progress lines = new Progress(rows, trainRows, progress, start);
        sc.sc().addSparkListener(lines);
        EarlyStopping stopping = new EarlyStopping(spec, listeners);
        try {
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                long rows0 = rows.value();
                lines.startEpoch(epoch, rows0);
                double loss0 = loss.value();
                spark.fit(batches);
                long done = rows.value() - rows0;
                double trainLoss = done > 0 ? (loss.value() - loss0) / done : spark.getScore();
                double valLoss = selection == null ? Trainer.validationLoss(net, validation) : selection.loss(net);
                if (stopping.epoch(epoch, trainLoss, valLoss, net)) {
                    break;
                }
            }
        } finally {
            sc.sc().removeSparkListener(lines);
        }
        return stopping.result(net);
    }

    /**
     * The backend that trained: the executors' ND4J backend (asked of every task slot), the master and the driver's
     * choice, for provenance.
     */
    static BackendInfo sparkBackend(JavaSparkContext sc) {
        int slots = sc.defaultParallelism();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            ids.add(i);
        }
        List<String> seen = sc.parallelize(ids, slots).map(i -> {
            BackendInfo b = Backend.current();
            return String.join("\u0000", b.name(), b.ndBackend(), b.device(), b.details());
        }).distinct().collect();
        String[] first = seen.get(0).split("\u0000", -1);
        BackendInfo driver = Backend.current();
        String master = sc.master();
        return new BackendInfo(first[0], first[1],
                "Spark " + master + " (" + slots + " task slots" + (seen.size() > 1 ? ", " + seen.size() + " kinds of executor" : "")
                        + "): " + first[2],
                first[3], "spark --spark " + master + "; driver " + driver.choice());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Counts the rows each worker fits and their loss, into accumulators the driver reads. */
    static final class Counting implements TrainingHook {
        private static final long serialVersionUID = 1L;
        private final LongAccumulator rows;
        private final DoubleAccumulator loss;

        Counting(LongAccumulator rows, DoubleAccumulator loss) {
            this.rows = rows;
            this.loss = loss;
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            int n = minibatch.numExamples();
            rows.add(n);
            loss.add(model.score() * n);
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }
    }

    /** Progress within epochs: after each Spark job (an averaging round), at most one line per few seconds. */
    static final class Progress extends SparkListener {
        private final LongAccumulator rows;
        private final int trainRows;
        private final Consumer<String> out;
        private final long start;
        private double lastPrinted;
        private long lastRows;
        private volatile int epoch;
        private volatile long epochStartRows;

        Progress(LongAccumulator rows, int trainRows, Consumer<String> out, long start) {
            this.rows = rows;
            this.trainRows = trainRows;
            this.out = out;
            this.start = start;
        }

        void startEpoch(int epoch, long rowsSoFar) {
            this.epoch = epoch;
            this.epochStartRows = rowsSoFar;
        }

        @Override
        public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
            double now = seconds(start);
            if (now - lastPrinted < PROGRESS_EVERY_SECONDS) {
                return;
            }
            long done = rows.value();
            if (done == epochStartRows) {
                return; // a job before the epoch's first averaging round
            }
            double rate = (done - lastRows) / Math.max(1e-9, now - lastPrinted);
            out.accept(String.format(Locale.ROOT, "epoch %d: %d of %d training rows, %.0f rows/s on Spark, %.0f s elapsed",
                    epoch, done - epochStartRows, trainRows, rate, now));
            lastPrinted = now;
            lastRows = done;
        }
    }
}
