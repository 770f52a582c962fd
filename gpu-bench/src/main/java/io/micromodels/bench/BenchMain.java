package io.micromodels.bench;

import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs benchmark suites by name. Suites are found with {@link ServiceLoader} (see
 * {@link BenchSuite}); {@code train} is built in, {@code inference}, {@code population},
 * {@code hpo}, {@code data} and {@code explain} register themselves the same way.
 *
 * <pre>
 *   java -cp ... io.micromodels.bench.BenchMain train --suite quick --out results/today
 *   java -cp ... io.micromodels.bench.BenchMain list
 *   java -cp ... io.micromodels.bench.BenchMain all --suite full --backend cuda
 * </pre>
 * Options are those of {@link BenchContext}. Each suite's last printed line is its headline;
 * the exit code is 0 if every suite ran, 1 if one failed, 2 for bad arguments.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and the CLI wiring). */
    public static int run(String[] args) {
        BenchContext ctx;
        try {
            ctx = BenchContext.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            return 2;
        }
        Map<String, BenchSuite> suites = suites();
        List<String> names = ctx.positionals();
        if (names.isEmpty() || names.contains("list") || names.contains("help")) {
            ctx.println(usage());
            suites.values().forEach(s -> ctx.println(String.format("  %-12s %s", s.name(), s.description())));
            return names.isEmpty() ? 2 : 0;
        }
        List<BenchSuite> chosen = new ArrayList<>();
        for (String n : names) {
            if (n.equals("all")) {
                chosen.addAll(suites.values());
            } else if (suites.containsKey(n)) {
                chosen.add(suites.get(n));
            } else {
                System.err.println("unknown suite '" + n + "'; registered: " + String.join(", ", suites.keySet()));
                return 2;
            }
        }
        if (!ctx.suiteArgs().isEmpty() && (chosen.size() != 1 || !chosen.get(0).acceptsOptions())) {
            System.err.println("options " + ctx.suiteArgs() + " are not known" + (chosen.size() == 1
                    ? " (suite " + chosen.get(0).name() + " takes only the common options)"
                    : "; a suite's own options apply when exactly one suite is named"));
            System.err.println(usage());
            return 2;
        }
        try {
            ctx.println("machine: " + ctx.facts().summary());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        ctx.println("output: " + ctx.outDir().toAbsolutePath());
        int failed = 0;
        for (BenchSuite s : chosen) {
            ctx.println("== suite " + s.name() + " (" + ctx.size().label() + ") ==");
            try {
                s.run(ctx);
            } catch (FileAlreadyExistsException e) {
                failed++;
                System.err.println("suite " + s.name() + " failed: " + e.getReason());
            } catch (IllegalArgumentException e) {
                // a bad suite option (or a refused input): one line naming it, no stack trace
                failed++;
                System.err.println("suite " + s.name() + ": " + e.getMessage());
            } catch (Exception e) {
                failed++;
                System.err.println("suite " + s.name() + " failed: " + e);
                e.printStackTrace();
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** Registered suites by name, in class-path order. */
    public static Map<String, BenchSuite> suites() {
        Map<String, BenchSuite> m = new LinkedHashMap<>();
        for (BenchSuite s : ServiceLoader.load(BenchSuite.class)) m.putIfAbsent(s.name(), s);
        return m;
    }

    static String usage() {
        return "usage: BenchMain <suite>...|all|list [--suite quick|full] [--out DIR] [--force] [--threads N]"
                + " [--backend cpu|cuda|auto] [--no-peers]";
    }
}
