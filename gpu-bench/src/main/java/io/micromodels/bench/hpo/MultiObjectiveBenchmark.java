package io.micromodels.bench.hpo;

import com.fasterxml.jackson.databind.JsonNode;
import io.micromodels.json.StrictJson;
import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.MultiObjectiveOptimizer;
import io.micromodels.tune.pareto.Hypervolume;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sample efficiency of multi-objective search on standard two-objective test problems: the
 * hypervolume (both objectives minimised, one fixed reference point per problem, the same for every
 * method) of all points evaluated after 25, 50 and 100 evaluations, median and interquartile range
 * over seeds.
 *
 * <p>Generators: {@code mobo} ({@link MultiObjectiveOptimizer}, ParEGO, default options, one point at
 * a time), {@code random} (uniform in the cube), {@code nsga2-peer} and {@code tpe-peer} (Optuna's
 * {@code NSGAIISampler} and multi-objective {@code TPESampler} with default settings, seeded 0 ..
 * S-1, run by {@code gpu-bench/peers/optuna_mo.py} under {@code /usr/bin/python3}, which returns
 * the objective values and leaves the hypervolume to this class; skipped with a one-line reason when
 * Python or Optuna is missing).
 *
 * <p>Problems ({@link #PROBLEMS}; reference points those of BoTorch's test problems):
 * {@code zdt1} and {@code zdt2} in 6 dimensions (reference (11, 11); true-front hypervolume
 * 120.6667 and 120.3333), {@code dtlz2} with 2 objectives in 6 dimensions (reference (1.1, 1.1);
 * true front 1.21 - pi/4 = 0.424602) and {@code branincurrin} in 2 dimensions (reference (18, 6);
 * true front about 59.36).
 *
 * <p>Usage: {@code MultiObjectiveBenchmark [--problem zdt1,zdt2,dtlz2,branincurrin] [--trials 100]
 * [--seeds 20] [--generator mobo,random,nsga2-peer,tpe-peer] [--peer-script PATH] [--batch 1]}
 * ({@code --batch Q}: {@code mobo} proposes Q points per call, the last call fewer). Prints one table
 * per problem and {@code mobo}'s hypervolume per seed at the last checkpoint, then per problem whether {@code mobo}'s median is above both peers' at every
 * checkpoint, and last the line {@code mobo median hypervolume above NSGA-II and MOTPE: K of C
 * checkpoints}.
 */
public final class MultiObjectiveBenchmark {

    /** The test problems. */
    static final List<String> PROBLEMS = List.of("zdt1", "zdt2", "dtlz2", "branincurrin");
    static final List<String> GENERATORS = List.of("mobo", "random", "nsga2-peer", "tpe-peer");
    private static final int[] CHECKPOINTS = {25, 50, 100};
    private static final String PYTHON = "/usr/bin/python3";

    private MultiObjectiveBenchmark() {
    }

    /**
     * Settings of one run.
     *
     * @param problems   problem names, non-empty, each in {@link #PROBLEMS}
     * @param trials     evaluations per seed, {@code >= 1}
     * @param seeds      number of seeds, {@code >= 1} (seeds 0 .. S-1)
     * @param generators generator names, non-empty, each in {@link #GENERATORS}
     * @param peerScript path of the Optuna peer script
     * @param batch      points {@code mobo} proposes per call, {@code >= 1}
     */
    public record Options(List<String> problems, int trials, int seeds, List<String> generators, Path peerScript,
                          int batch) {
        /** Options with {@code mobo} proposing one point per call. */
        public Options(List<String> problems, int trials, int seeds, List<String> generators, Path peerScript) {
            this(problems, trials, seeds, generators, peerScript, 1);
        }

        /** Validates the fields. */
        public Options {
            problems = List.copyOf(problems);
            generators = List.copyOf(generators);
            if (problems.isEmpty() || !PROBLEMS.containsAll(problems)) {
                throw new IllegalArgumentException("--problem must be a list of " + PROBLEMS + ", got " + problems);
            }
            if (generators.isEmpty() || !GENERATORS.containsAll(generators)) {
                throw new IllegalArgumentException("--generator must be a list of " + GENERATORS + ", got " + generators);
            }
            if (trials < 1) {
                throw new IllegalArgumentException("--trials must be >= 1, got " + trials);
            }
            if (seeds < 1) {
                throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            }
            Objects.requireNonNull(peerScript, "peerScript must not be null");
            if (batch < 1) {
                throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
            }
        }
    }

    /**
     * Evaluations of one generator on one problem.
     *
     * @param generator its name
     * @param values    shape {@code [seeds][trials][2]}: objectives in the order evaluated, or null if skipped
     * @param seconds   shape {@code [seeds]}: wall-clock seconds per seed (search and evaluations), or null
     * @param note      why it was skipped, or null
     */
    record Run(String generator, double[][][] values, double[] seconds, String note) {
    }

    /**
     * Command-line entry point; see the class Javadoc.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        List<String> problems = PROBLEMS;
        int trials = 100;
        int seeds = 20;
        List<String> generators = GENERATORS;
        Path script = defaultPeerScript();
        int batch = 1;
        for (java.util.Map.Entry<String, String> flag : io.micromodels.bench.Flags.pairs(args)) {
            String a = flag.getKey();
            String v = flag.getValue();
            switch (a) {
                case "--problem" -> problems = Arrays.asList(v.split(","));
                case "--trials" -> trials = Integer.parseInt(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--generator" -> generators = Arrays.asList(v.split(","));
                case "--peer-script" -> script = Path.of(v);
                case "--batch" -> batch = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; usage: [--problem "
                        + String.join(",", PROBLEMS) + "] [--trials N] [--seeds S] [--generator "
                        + String.join(",", GENERATORS) + "] [--peer-script PATH] [--batch Q]");
            }
        }
        run(new Options(problems, trials, seeds, generators, script, batch), System.out);
    }

    private static Path defaultPeerScript() {
        Path p = Path.of("gpu-bench", "peers", "optuna_mo.py");
        return Files.exists(p) ? p : Path.of("peers", "optuna_mo.py");
    }

    /**
     * Runs every problem and generator and prints the tables; the last line printed is
     * {@code mobo median hypervolume above NSGA-II and MOTPE: K of C checkpoints}.
     *
     * @return per problem, the runs in the order of the generators
     */
    public static Map<String, List<Run>> run(Options options, PrintStream out) throws IOException, InterruptedException {
        Map<String, List<Run>> all = new java.util.LinkedHashMap<>();
        int ahead = 0;
        int compared = 0;
        List<String> verdicts = new ArrayList<>();
        for (String problem : options.problems()) {
            List<Run> runs = new ArrayList<>();
            for (String g : options.generators()) {
                runs.add(switch (g) {
                    case "mobo", "random" -> runJava(g, problem, options);
                    default -> runPeer(g, problem, options);
                });
            }
            all.put(problem, runs);
            double[] ref = reference(problem);
            List<Integer> checkpoints = new ArrayList<>();
            for (int c : CHECKPOINTS) {
                if (c <= options.trials()) {
                    checkpoints.add(c);
                }
            }
            if (!checkpoints.contains(options.trials())) {
                checkpoints.add(options.trials());
            }
            out.printf(Locale.ROOT, "Multi-objective benchmark: %s (d=%d), reference %s, %d trials, %d seeds (0..%d),"
                    + " mobo batches of %d%n", problem, dimensions(problem), Arrays.toString(ref), options.trials(),
                    options.seeds(), options.seeds() - 1, options.batch());
            out.println("hypervolume of all evaluated points: median [25th, 75th percentile]; s/seed = median wall seconds");
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-11s", "generator"));
            for (int c : checkpoints) {
                header.append(String.format(Locale.ROOT, " | %-30s", "@" + c));
            }
            out.println(header.append(" | s/seed"));
            Map<String, double[]> medians = new java.util.LinkedHashMap<>();
            for (Run r : runs) {
                if (r.values() == null) {
                    out.printf(Locale.ROOT, "%-11s | skipped: %s%n", r.generator(), r.note());
                    continue;
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-11s", r.generator()));
                double[] med = new double[checkpoints.size()];
                for (int k = 0; k < checkpoints.size(); k++) {
                    double[] hv = hypervolumes(r.values(), checkpoints.get(k), ref);
                    med[k] = HpoBenchmark.quantile(hv, 0.5);
                    row.append(String.format(Locale.ROOT, " | %-30s", String.format(Locale.ROOT, "%.6g [%.6g, %.6g]",
                            med[k], HpoBenchmark.quantile(hv, 0.25), HpoBenchmark.quantile(hv, 0.75))));
                }
                medians.put(r.generator(), med);
                out.println(row.append(String.format(Locale.ROOT, " | %.2f", HpoBenchmark.quantile(r.seconds(), 0.5))));
            }
            for (Run r : runs) {
                if (r.generator().equals("mobo") && r.values() != null) {
                    int last = checkpoints.get(checkpoints.size() - 1);
                    out.println("mobo hypervolume per seed @" + last + ": " + Arrays.stream(hypervolumes(r.values(), last, ref))
                            .mapToObj(h -> String.format(Locale.ROOT, "%.6g", h)).toList());
                }
            }
            double[] mobo = medians.get("mobo");
            double[] nsga = medians.get("nsga2-peer");
            double[] tpe = medians.get("tpe-peer");
            if (mobo != null && nsga != null && tpe != null) {
                int here = 0;
                for (int k = 0; k < mobo.length; k++) {
                    here += mobo[k] > nsga[k] && mobo[k] > tpe[k] ? 1 : 0;
                }
                ahead += here;
                compared += mobo.length;
                verdicts.add(problem + " " + here + "/" + mobo.length);
            }
            out.println();
        }
        if (compared > 0) {
            out.println("per problem, checkpoints where mobo's median is above both peers': " + String.join(", ", verdicts));
        }
        out.println("mobo median hypervolume above NSGA-II and MOTPE: "
                + (compared > 0 ? ahead + " of " + compared + " checkpoints" : "not compared (a peer or mobo was not run)"));
        return all;
    }

    /**
     * @param values     shape {@code [seeds][trials][2]}
     * @param checkpoint number of evaluations counted
     * @return shape {@code [seeds]}: hypervolume of the first {@code checkpoint} evaluations of each seed
     */
    static double[] hypervolumes(double[][][] values, int checkpoint, double[] ref) {
        double[] hv = new double[values.length];
        for (int s = 0; s < values.length; s++) {
            hv[s] = Hypervolume.of(Arrays.copyOf(values[s], Math.min(checkpoint, values[s].length)), ref);
        }
        return hv;
    }

    private static Run runJava(String generator, String problem, Options options) {
        int d = dimensions(problem);
        double[][][] values = new double[options.seeds()][][];
        double[] seconds = new double[options.seeds()];
        for (int s = 0; s < options.seeds(); s++) {
            long t0 = System.nanoTime();
            MultiObjectiveOptimizer mo = new MultiObjectiveOptimizer(Collections.nCopies(d, Dimension.continuous()),
                    BayesOptions.defaults(d), s);
            SplittableRandom rng = new SplittableRandom(1_000_003L * s + 11);
            List<double[]> points = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            while (points.size() < options.trials()) {
                List<double[]> xs = new ArrayList<>();
                if ("mobo".equals(generator)) {
                    xs.addAll(mo.propose(points, ys, List.of(), Math.min(options.batch(), options.trials() - points.size())));
                } else {
                    double[] x = new double[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = rng.nextDouble();
                    }
                    xs.add(x);
                }
                for (double[] x : xs) {
                    points.add(x);
                    ys.add(evaluate(problem, x));
                }
            }
            values[s] = ys.toArray(new double[0][]);
            seconds[s] = (System.nanoTime() - t0) / 1e9;
        }
        return new Run(generator, values, seconds, null);
    }

    private static Run runPeer(String generator, String problem, Options options) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return skipped(generator, PYTHON + " not found");
        }
        if (!Files.exists(options.peerScript())) {
            return skipped(generator, "peer script " + options.peerScript() + " not found");
        }
        Process check = new ProcessBuilder(PYTHON, "-c", "import optuna").redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (check.waitFor() != 0) {
            String[] lines = checkOut.split("\n");
            return skipped(generator, "'import optuna' failed under " + PYTHON + ": " + lines[lines.length - 1]);
        }
        List<String> cmd = List.of(PYTHON, options.peerScript().toString(), "--problem", problem,
                "--sampler", "nsga2-peer".equals(generator) ? "nsga2" : "tpe",
                "--trials", Integer.toString(options.trials()), "--seeds", Integer.toString(options.seeds()));
        Path err = Files.createTempFile("optuna-mo-peer", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                String tail = Files.readString(err).trim();
                return skipped(generator, "peer script failed: "
                        + tail.substring(Math.max(0, tail.length() - 300)).replace('\n', ' '));
            }
            JsonNode root = StrictJson.mapper().readTree(json);
            JsonNode seeds = root.get("values");
            double[][][] values = new double[seeds.size()][][];
            for (int s = 0; s < values.length; s++) {
                JsonNode rows = seeds.get(s);
                values[s] = new double[rows.size()][2];
                for (int t = 0; t < rows.size(); t++) {
                    values[s][t][0] = rows.get(t).get(0).asDouble();
                    values[s][t][1] = rows.get(t).get(1).asDouble();
                }
            }
            JsonNode sec = root.get("seconds");
            double[] seconds = new double[sec.size()];
            for (int s = 0; s < seconds.length; s++) {
                seconds[s] = sec.get(s).asDouble();
            }
            return new Run(generator, values, seconds, null);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static Run skipped(String generator, String reason) {
        System.out.println(generator + " skipped: " + reason);
        return new Run(generator, null, null, reason);
    }

    static int dimensions(String problem) {
        return "branincurrin".equals(problem) ? 2 : 6;
    }

    /** The reference point of a problem, BoTorch's for the same problem. */
    static double[] reference(String problem) {
        return switch (problem) {
            case "zdt1", "zdt2" -> new double[] {11.0, 11.0};
            case "dtlz2" -> new double[] {1.1, 1.1};
            default -> new double[] {18.0, 6.0};
        };
    }

    /**
     * @param problem one of {@link #PROBLEMS}
     * @param x       shape {@code [d]}: a point of the unit cube
     * @return shape {@code [2]}: both objectives (minimised)
     */
    public static double[] evaluate(String problem, double[] x) {
        return switch (problem) {
            case "zdt1" -> zdt(x, false);
            case "zdt2" -> zdt(x, true);
            case "dtlz2" -> dtlz2(x);
            case "branincurrin" -> braninCurrin(x);
            default -> throw new IllegalArgumentException("problem must be one of " + PROBLEMS + ", got " + problem);
        };
    }

    /** ZDT1 (front {@code f2 = 1 - sqrt(f1)}) or ZDT2 (front {@code f2 = 1 - f1^2}), at {@code x[1..] = 0}. */
    static double[] zdt(double[] x, boolean second) {
        double sum = 0.0;
        for (int j = 1; j < x.length; j++) {
            sum += x[j];
        }
        double g = 1.0 + 9.0 * sum / (x.length - 1);
        double r = x[0] / g;
        return new double[] {x[0], g * (1.0 - (second ? r * r : Math.sqrt(r)))};
    }

    /** DTLZ2 with 2 objectives: front the quarter circle {@code f1^2 + f2^2 = 1} at {@code x[1..] = 0.5}. */
    static double[] dtlz2(double[] x) {
        double g = 0.0;
        for (int j = 1; j < x.length; j++) {
            g += (x[j] - 0.5) * (x[j] - 0.5);
        }
        return new double[] {(1.0 + g) * Math.cos(x[0] * Math.PI / 2.0), (1.0 + g) * Math.sin(x[0] * Math.PI / 2.0)};
    }

    /** Branin (on {@code [-5,10] x [0,15]}) and Currin's exponential function, both on the unit square. */
    static double[] braninCurrin(double[] x) {
        double branin = HpoBenchmark.branin(x);
        double factor = x[1] == 0.0 ? 1.0 : 1.0 - Math.exp(-1.0 / (2.0 * x[1]));
        double a = x[0];
        double currin = factor * (2300 * a * a * a + 1900 * a * a + 2092 * a + 60)
                / (100 * a * a * a + 500 * a * a + 4 * a + 20);
        return new double[] {branin, currin};
    }
}
