package io.micromodels.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: Spark's own {@code org.apache.spark.deploy.master.Master}
 * and {@code org.apache.spark.deploy.worker.Worker} in child JVMs on the test class path, each worker offering one core
 * and 1 GB. The workers start executors with that class path too ({@link #settings()}: {@code spark.executor.extraClassPath});
 * {@code SPARK_HOME} is an empty folder with an empty {@code jars/}. Closing kills every JVM it started and their children.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    /** Children of workers killed by {@link #killWorker}, killed at {@link #close()} if still alive. */
    private final List<ProcessHandle> orphans = new java.util.concurrent.CopyOnWriteArrayList<>();

    private StandaloneCluster(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /**
     * Starts a master and {@code workers} workers and waits until the master accepts connections.
     *
     * @param dir a folder for SPARK_HOME, logs and the workers' work folders
     */
    public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("spark-home/jars"));
        int port = freePort();
        Process master = launch(dir, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
        StandaloneCluster c = new StandaloneCluster(dir, port, master);
        try {
            c.awaitPort();
            for (int i = 1; i <= workers; i++) {
                Path work = Files.createDirectories(dir.resolve("work-" + i));
                c.workers.add(launch(dir, "worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host",
                        "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()),
                        "--work-dir", work.toString(), c.url())));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The class path of this test JVM (surefire's, not its manifest-only booter jar), every entry absolute. */
    public static String classPath() {
        return SparkTrialExecutor.absolute(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    }

    private static Process launch(Path dir, String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+")));
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private void awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited: " + log("master"));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not open port " + port + ": " + log("master"));
    }

    /** Waits until {@code n} executors (besides the driver) have registered with the application of {@code sc}. */
    public void awaitExecutors(JavaSparkContext sc, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (sc.sc().statusTracker().getExecutorInfos().length < n + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " executors did not register; worker logs: " + log("worker-1")
                        + "\n" + log("worker-2"));
            }
            Thread.sleep(200);
        }
    }

    /** @return {@code spark://127.0.0.1:PORT} */
    public String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Settings a driver needs on this cluster: the executors' class path, 512 MB executors. */
    public Map<String, String> settings() {
        return Map.of("spark.executor.extraClassPath", classPath(), "spark.executor.memory", "512m");
    }

    /** @return worker {@code i} (1-based) */
    public Process worker(int i) {
        return workers.get(i - 1);
    }

    /** @return the number of workers started */
    public int workers() {
        return workers.size();
    }

    /**
     * Kills worker {@code i} (1-based) with SIGKILL, leaving its executor to notice (Spark's worker watcher ends it).
     */
    public void killWorker(int i) {
        Process w = workers.get(i - 1);
        w.descendants().forEach(orphans::add);
        w.destroyForcibly(); // SIGKILL on Linux
    }

    /** @return whether every child of the killed workers has ended */
    public boolean orphansEnded() {
        return orphans.stream().noneMatch(ProcessHandle::isAlive);
    }

    /** The worker (1-based) whose child JVM is the executor {@code executorId}, if any. */
    public Optional<Integer> workerOfExecutor(String executorId) {
        for (int i = 0; i < workers.size(); i++) {
            // /proc/PID/cmdline: ProcessHandle.Info leaves out the arguments of a long command line
            boolean runs = workers.get(i).descendants().anyMatch(p -> commandLine(p).contains(" --executor-id " + executorId + " "));
            if (runs) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The end of a child's log, for failure messages. */
    public String log(String name) {
        try {
            String s = Files.readString(dir.resolve(name + ".log"));
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Kills the workers, their executors and the master (SIGKILL), and waits for them to end. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(orphans);
        for (Process p : workers) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        master.descendants().forEach(all::add);
        all.add(master.toHandle());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get();
            } catch (Exception e) {
                // already gone or interrupted: nothing more to do
            }
        }
    }

}
