package io.micromodels.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link BenchSuite} gets from the command line: suite size, output directory,
 * overwrite permission, thread budget, requested backend, whether to run Python peers, plus
 * lazily collected {@link MachineFacts}, a {@link PeerRunner} and the output stream.
 *
 * <p>Command-line options (shared by {@link BenchMain} and the suites' own {@code main}):
 * <pre>
 *   --suite quick|full      grid size (default quick)
 *   --out DIR               output directory (default: a fresh results/run-yyyyMMdd-HHmmss)
 *   --force                 replace existing output files
 *   --threads N             largest compute thread count to use/explore (default: logical cores)
 *   --backend cpu|cuda|auto requested ND4J backend (default auto); cuda refuses CPU results
 *   --no-peers              skip the Python peers
 * </pre>
 * Any other {@code --option [value]} is kept, in order, as {@link #suiteArgs()} for the suite that was named
 * (e.g. {@code bench hpo --function branin --trials 50}).
 *
 * <pre>{@code
 * BenchContext ctx = BenchContext.parse(new String[] {"--suite", "quick", "--out", "/tmp/r"});
 * new TrainThroughput().run(ctx);
 * }</pre>
 */
public final class BenchContext {

    private final SuiteSize size;
    private final Path outDir;
    private final boolean force;
    private final int threads;
    private final BackendRequest backend;
    private final boolean peersEnabled;
    private final PrintStream out;
    private final PeerRunner peers;
    private final List<String> positionals;
    private final List<String> suiteArgs;
    private MachineFacts facts;
    private String headline = "";

    /**
     * @param size         quick or full
     * @param outDir       output directory (created on first write)
     * @param force        replace existing output files
     * @param threads      thread budget (at least 1)
     * @param backend      requested backend
     * @param peersEnabled run Python peers
     * @param out          where tables and the headline are printed
     * @param peers        runner for the Python peers
     * @param positionals  non-option arguments (suite names for {@link BenchMain})
     * @param suiteArgs    options this context does not know, for the suite's own parser
     */
    public BenchContext(SuiteSize size, Path outDir, boolean force, int threads, BackendRequest backend,
                        boolean peersEnabled, PrintStream out, PeerRunner peers, List<String> positionals,
                        List<String> suiteArgs) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
        this.size = size;
        this.outDir = outDir;
        this.force = force;
        this.threads = threads;
        this.backend = backend;
        this.peersEnabled = peersEnabled;
        this.out = out;
        this.peers = peers;
        this.positionals = List.copyOf(positionals);
        this.suiteArgs = List.copyOf(suiteArgs);
    }

    /**
     * Parses the options listed in the class comment; other arguments are kept as
     * {@link #positionals()}.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    public static BenchContext parse(String[] args) {
        SuiteSize size = SuiteSize.QUICK;
        Path out = null;
        boolean force = false;
        int threads = Runtime.getRuntime().availableProcessors();
        BackendRequest backend = BackendRequest.AUTO;
        boolean peers = true;
        List<String> pos = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--") && a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            switch (a) {
                case "--suite" -> size = SuiteSize.parse(value != null ? value : next(args, ++i, a));
                case "--out" -> out = Path.of(value != null ? value : next(args, ++i, a));
                case "--force" -> force = true;
                case "--threads" -> {
                    String v = value != null ? value : next(args, ++i, a);
                    try {
                        threads = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--threads needs a number, not '" + v + "'");
                    }
                }
                case "--backend" -> backend = BackendRequest.parse(value != null ? value : next(args, ++i, a));
                case "--no-peers" -> peers = false;
                default -> {
                    if (a.startsWith("--")) {
                        extra.add(args[i]);
                        if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            extra.add(args[++i]);
                        }
                    } else {
                        pos.add(a);
                    }
                }
            }
        }
        if (out == null) out = OutputFiles.freshDir(Path.of("results"));
        return new BenchContext(size, out, force, threads, backend, peers, System.out, PeerRunner.defaults(), pos, extra);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    public SuiteSize size() {
        return size;
    }

    /** True for the quick grid. */
    public boolean quick() {
        return size == SuiteSize.QUICK;
    }

    /** The warm-up/repeat plan of this suite size. */
    public Measurer.Plan plan() {
        return Measurer.Plan.of(size);
    }

    public Path outDir() {
        return outDir;
    }

    public boolean force() {
        return force;
    }

    /** Largest compute thread count to use or explore. */
    public int threads() {
        return threads;
    }

    public BackendRequest backend() {
        return backend;
    }

    public boolean peersEnabled() {
        return peersEnabled;
    }

    public PeerRunner peers() {
        return peers;
    }

    public PrintStream out() {
        return out;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** Options not known to this context, in order, for the named suite's own parser (empty if none). */
    public List<String> suiteArgs() {
        return suiteArgs;
    }

    /**
     * Facts of this machine, collected once; loads ND4J and checks the requested backend.
     *
     * @throws IllegalStateException if {@code --backend cuda} was asked but ND4J is on the CPU
     */
    public synchronized MachineFacts facts() {
        if (facts == null) {
            // The project's one backend chooser loads ND4J (a cuda request that cannot be met fails there);
            // verify() then refuses figures from a backend other than the one asked for.
            try {
                io.micromodels.backend.Backend.initialise(io.micromodels.backend.Backend.resolve(backend.label()));
            } catch (io.micromodels.backend.BackendException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            facts = MachineFacts.collect();
            backend.verify(facts);
        }
        return facts;
    }

    /** A new result table for the named suite, on this machine's facts. */
    public ResultTable newTable(String suite) {
        return new ResultTable(suite, facts());
    }

    /** A file in the output directory (for plots): {@code <table base name>-<name>}. */
    public Path file(ResultTable table, String name) {
        return outDir.resolve(table.baseName() + "-" + name);
    }

    /**
     * Fails early, before any measuring, if the table's files or the named extra files
     * ({@link #file(ResultTable, String)}) already exist and {@code --force} was not given.
     */
    public void checkOutputsFree(ResultTable table, String... extraNames) throws IOException {
        for (Path p : table.files(outDir)) OutputFiles.checkFree(p, force);
        for (String n : extraNames) OutputFiles.checkFree(file(table, n), force);
    }

    /** Writes the table's CSV and markdown into the output directory and prints their paths. */
    public List<Path> write(ResultTable table) throws IOException {
        List<Path> files = table.write(outDir, force);
        for (Path p : files) out.println("wrote " + p);
        return files;
    }

    /** Prints a line. */
    public void println(String line) {
        out.println(line);
    }

    /** Prints the suite's headline figure; call it last so it is the suite's last printed line. */
    public void headline(String line) {
        headline = line;
        out.println(line);
        out.flush();
    }

    /** The last headline printed, or empty. */
    public String lastHeadline() {
        return headline;
    }
}
