package io.micromodels.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code micromodels bench [suite...] [options]}: runs the benchmarks of the gpu-bench module (on the class path when
 * started through {@code ./micromodels}); {@code bench list} names the suites. See gpu-bench/RESULTS.md.
 */
@Command(name = "bench", description = "Run benchmarks (bench list: the suites; bench all --suite quick; bench hpo --function branin ...).")
final class BenchCommand implements Callable<Integer> {
    static final String BENCH_MAIN = "io.micromodels.bench.BenchMain";

    @ParentCommand
    Main main;

    @Parameters(arity = "0..*", paramLabel = "ARGS",
            description = "Suite names (or all, list) and options: --suite quick|full, --out DIR, --force, --threads N, "
                    + "--no-peers, and the named suite's own options.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Method entry;
        try {
            entry = Class.forName(BENCH_MAIN).getMethod("run", String[].class);
        } catch (ReflectiveOperationException e) {
            throw new CliException("the benchmarks (gpu-bench module) are not on the class path; run through ./micromodels");
        }
        List<String> all = new ArrayList<>(args.isEmpty() ? List.of("all") : args);
        if (main.backend != null) {
            all.add("--backend");
            all.add(main.backend);
        }
        try {
            return (Integer) entry.invoke(null, (Object) all.toArray(String[]::new));
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
