package io.micromodels.bench;

import java.util.Locale;

/**
 * A benchmark suite that {@link BenchMain} can run by name. Implementations have a public
 * no-argument constructor and are registered in
 * {@code META-INF/services/io.micromodels.bench.BenchSuite} (one class name per line) so that
 * {@link java.util.ServiceLoader} finds them.
 *
 * <p>A suite measures with {@link Measurer} (or a peer via {@link BenchContext#peers()}), collects
 * {@link Result}s in a {@link ResultTable}, prints it, writes it with
 * {@link BenchContext#write(ResultTable)}, and ends with {@link BenchContext#headline(String)}:
 * its last printed line is its headline figure.
 *
 * <pre>{@code
 * public final class HpoBenchmark implements BenchSuite {
 *     public String name() { return "hpo"; }
 *     public void run(BenchContext ctx) throws Exception {
 *         ResultTable t = ctx.newTable(name()).units("trial", "trials");
 *         ...
 *         ctx.out().print(t.toText());
 *         ctx.write(t);
 *         ctx.headline("hpo trials/s: 12.3");
 *     }
 * }
 * }</pre>
 */
public interface BenchSuite {

    /** Runs the suite; may throw, in which case {@link BenchMain} reports it and goes on. */
    void run(BenchContext ctx) throws Exception;

    /**
     * Name used on the command line. Default: the class's simple name, lower-case, without a
     * trailing {@code Benchmark}, {@code Bench} or {@code Suite} ({@code HpoBenchmark} is {@code hpo}).
     */
    default String name() {
        String n = getClass().getSimpleName();
        for (String suffix : new String[] {"Benchmark", "Bench", "Suite"}) {
            if (n.endsWith(suffix) && n.length() > suffix.length()) {
                n = n.substring(0, n.length() - suffix.length());
                break;
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** One line saying what is measured. */
    default String description() {
        return "";
    }

    /** Whether this suite takes options of its own (passed as {@link BenchContext#suiteArgs()}); default no. */
    default boolean acceptsOptions() {
        return false;
    }
}
