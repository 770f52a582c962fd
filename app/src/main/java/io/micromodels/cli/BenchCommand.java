package io.micromodels.cli;

import io.micromodels.bench.BenchMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code micromodels bench [suite...] [options]}: runs the benchmarks of the gpu-bench module ({@link BenchMain});
 * {@code bench list} names the suites. See gpu-bench/RESULTS.md.
 */
@Command(name = "bench", description = "Run benchmarks (bench list: the suites; bench all --suite quick; bench hpo --function branin ...).")
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(arity = "0..*", paramLabel = "ARGS",
            description = "Suite names (or all, list) and options: --suite quick|full, --out DIR, --force, --threads N, "
                    + "--no-peers, and the named suite's own options.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(args.isEmpty() ? List.of("all") : args);
        if (main.backend != null) {
            all.add("--backend");
            all.add(main.backend);
        }
        return BenchMain.run(all.toArray(String[]::new));
    }
}
