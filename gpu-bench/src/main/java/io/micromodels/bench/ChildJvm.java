package io.micromodels.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A child JVM on this JVM's class path, for settings that must be fixed before ND4J loads
 * (environment variables such as {@code OMP_NUM_THREADS} or the backend priorities).
 *
 * <pre>{@code
 * Processes.Outcome o = new ChildJvm("io.micromodels.bench.train.TrainWorker")
 *         .env("OMP_NUM_THREADS", "1")
 *         .args(List.of(specJson))
 *         .run(line -> System.out.println(line));
 * }</pre>
 */
public final class ChildJvm {

    private final String mainClass;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> unset = new LinkedHashSet<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(30);

    public ChildJvm(String mainClass) {
        this.mainClass = mainClass;
    }

    /** Sets an environment variable of the child. */
    public ChildJvm env(String key, String value) {
        env.put(key, value);
        unset.remove(key);
        return this;
    }

    /** Sets environment variables of the child. */
    public ChildJvm env(Map<String, String> vars) {
        vars.forEach(this::env);
        return this;
    }

    /** Removes an inherited environment variable from the child. */
    public ChildJvm unsetEnv(String key) {
        env.remove(key);
        unset.add(key);
        return this;
    }

    /** Adds a JVM option, e.g. {@code -Xmx1g}. */
    public ChildJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Adds program arguments. */
    public ChildJvm args(List<String> a) {
        args.addAll(a);
        return this;
    }

    public ChildJvm timeout(Duration t) {
        timeout = t;
        return this;
    }

    /** The command line that {@link #run} starts. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel="
                + System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        String peers = System.getProperty(PeerRunner.PEERS_DIR_PROPERTY);
        if (peers != null) cmd.add("-D" + PeerRunner.PEERS_DIR_PROPERTY + "=" + peers);
        cmd.addAll(jvmArgs);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the child to completion (or timeout); stderr is kept as a tail for error messages. */
    public Processes.Outcome run(Consumer<String> onStdoutLine) {
        ProcessBuilder pb = new ProcessBuilder(command());
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        return Processes.run(pb, timeout, onStdoutLine);
    }
}
