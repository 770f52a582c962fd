package io.micromodels.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code micromodels bench [suite] [options]}: runs the benchmarks of the gpu-bench module (on the class path
 * when started through {@code ./micromodels}); see gpu-bench/README.md.
 */
@Command(name = "bench", description = "Run benchmarks: train, inference, population, hpo, data, explain (see gpu-bench/RESULTS.md).",
        mixinStandardHelpOptions = false)
final class BenchCommand implements Runnable {
    static final String BENCH_MAIN = "io.micromodels.bench.BenchMain";

    @ParentCommand
    Main main;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Suite name and its options, passed to the benchmark harness.")
    List<String> args = new ArrayList<>();

    @Override
    public void run() {
        Method entry;
        try {
            entry = Class.forName(BENCH_MAIN).getMethod("run", String.class, String[].class);
        } catch (ReflectiveOperationException e) {
            throw new CliException("the benchmarks (gpu-bench module) are not on the class path; run through ./micromodels");
        }
        try {
            entry.invoke(null, main.backend, args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
