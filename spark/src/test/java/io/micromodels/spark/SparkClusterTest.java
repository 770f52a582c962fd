package io.micromodels.spark;

import static io.micromodels.spark.SparkStudies.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.tune.Study;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tuning on a real Spark standalone cluster on this machine: a master and two workers in their own JVMs, and one Spark
 * application (this JVM the driver) with an executor on each, started once for the class (executor JVMs loading ND4J
 * are the slow part). Either test may run first: the trials do not depend on how many workers are left.
 */
class SparkClusterTest {
    @TempDir
    static Path clusterDir;
    static StandaloneCluster cluster;
    static JavaSparkContext sc;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(clusterDir, 2);
        SparkConf conf = new SparkConf().setMaster(cluster.url()).setAppName("SparkClusterTest");
        cluster.settings().forEach(conf::set);
        sc = new JavaSparkContext(conf);
        cluster.awaitExecutors(sc, 2);
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (sc != null) {
                sc.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static SparkTrialExecutor onCluster(Study study) {
        SparkTrialExecutor spark = SparkTrialExecutor.on(sc, study.objective(), false, false);
        study.setExecutor(spark);
        return spark;
    }

    @Test
    void aSeededRandomSearchGivesTheTrialsOfALocalRun(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 5);
        List<TrialRecord> local;
        try (Study study = Study.create(tmp.resolve("local"), SparkStudies.random(csv, 6))) {
            local = study.run(QUIET);
        }
        try (Study study = Study.create(tmp.resolve("cluster"), SparkStudies.random(csv, 6))) {
            onCluster(study);
            List<TrialRecord> spark = study.run(QUIET);
            SparkStudies.assertSameTrials(local, spark);
        }
    }

    /**
     * A worker JVM killed with SIGKILL while its executor trains a trial: Spark runs the lost task again on the other
     * worker, and the study ends with every trial recorded exactly once.
     */
    @Test
    void aWorkerKilledMidStudyLosesNoTrialAndRecordsNoneTwice(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 1500, 6);
        int trials = 6;
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        AtomicReference<String> killed = new AtomicReference<>();
        Path dir = tmp.resolve("cluster");
        try (Study study = Study.create(dir, SparkStudies.random(csv, trials))) {
            onCluster(study);
            boolean twoWorkers = cluster.worker(1).isAlive() && cluster.worker(2).isAlive();
            SparkListener killer = new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart e) {
                    // mid-study: after two trials are recorded, the worker of the next task to start
                    if (twoWorkers && recorded.get() >= 2 && killed.get() == null) {
                        cluster.workerOfExecutor(e.taskInfo().executorId()).ifPresent(w -> {
                            if (killed.compareAndSet(null, "worker " + w + " (executor " + e.taskInfo().executorId() + ")")) {
                                cluster.killWorker(w);
                            }
                        });
                    }
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd e) {
                    if (e.reason() instanceof ExecutorLostFailure) {
                        lost.incrementAndGet();
                    }
                }
            };
            sc.sc().addSparkListener(killer);
            List<TrialRecord> all;
            try {
                all = study.run((t, a) -> recorded.incrementAndGet());
            } finally {
                sc.sc().removeSparkListener(killer);
            }
            assertEquals(IntStream.rangeClosed(1, trials).boxed().toList(), all.stream().map(TrialRecord::number).toList());
            assertTrue(all.stream().allMatch(TrialRecord::complete), "every trial completed: " + all);
            assertEquals(trials, recorded.get(), "the study was told each trial once");
            // the journal: one finished line per trial number
            Map<Integer, Long> finishedLines = Files.readAllLines(dir.resolve(Study.TRIALS_FILE)).stream()
                    .map(TrialRecord::fromJson).filter(TrialRecord::finished)
                    .collect(Collectors.groupingBy(TrialRecord::number, Collectors.counting()));
            assertEquals(IntStream.rangeClosed(1, trials).boxed().collect(Collectors.toMap(i -> i, i -> 1L)), finishedLines);
            if (twoWorkers) {
                assertTrue(killed.get() != null, "a worker was killed mid-study");
                assertTrue(lost.get() >= 1, "the killed worker's task was lost and run again; killed " + killed.get());
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!cluster.orphansEnded() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(cluster.orphansEnded(), "the killed worker's executor ended with it");
    }
}
