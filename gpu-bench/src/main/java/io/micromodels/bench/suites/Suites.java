package io.micromodels.bench.suites;

import io.micromodels.bench.BenchSuite;
import io.micromodels.bench.BenchContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark suites that have their own command-line {@code main}, registered as {@link BenchSuite}s so that
 * {@code ./micromodels bench NAME} runs them. Each passes the suite's own options through ({@code bench hpo
 * --function hartmann6 --trials 100}), or, when none are given, the settings of the {@code quick} or {@code full}
 * size. Every suite's last printed line is its headline figure.
 */
public final class Suites {
    private Suites() {
    }

    /** Options given for the suite, else the quick or full defaults. */
    static String[] args(BenchContext ctx, List<String> quick, List<String> full) {
        List<String> a = new ArrayList<>(ctx.suiteArgs().isEmpty() ? (ctx.quick() ? quick : full) : ctx.suiteArgs());
        return a.toArray(String[]::new);
    }

    /** {@code bench inference}: single-row and batch scoring, DL4J vs frozen vs PyTorch. */
    public static final class Inference implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            List<String> a = new ArrayList<>(List.of(args(ctx, List.of("--quick"), List.of("--jmh"))));
            if (!ctx.peersEnabled()) {
                a.add("--no-torch");
            }
            io.micromodels.bench.inference.InferenceBenchmark.run(
                    io.micromodels.bench.inference.InferenceBenchmark.Options.parse(a.toArray(String[]::new)), ctx.out());
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "single-row and batch-1024 latency: DL4J output() vs frozen plain Java vs PyTorch";
        }
    }

    /** {@code bench hpo}: Bayesian optimisation regret and overhead on Branin/Hartmann6, against random and Optuna TPE. */
    public static final class Hpo implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            String gens = ctx.peersEnabled() ? "bayes,random,tpe-peer" : "bayes,random";
            if (!ctx.suiteArgs().isEmpty()) {
                io.micromodels.bench.hpo.HpoBenchmark.main(ctx.suiteArgs().toArray(String[]::new));
            } else if (ctx.quick()) {
                io.micromodels.bench.hpo.HpoBenchmark.main(new String[] {"--function", "branin", "--trials", "50",
                        "--seeds", "5", "--generator", gens, "--overhead-repeats", "5"});
                io.micromodels.bench.hpo.HpoBenchmark.main(new String[] {"--proposal-cost", "100,200,500,1000"});
            } else {
                io.micromodels.bench.hpo.HpoBenchmark.main(new String[] {"--function", "branin", "--trials", "50",
                        "--seeds", "20", "--generator", gens});
                io.micromodels.bench.hpo.HpoBenchmark.main(new String[] {"--function", "hartmann6", "--trials", "100",
                        "--seeds", "20", "--generator", gens});
                io.micromodels.bench.hpo.HpoBenchmark.main(new String[] {"--proposal-cost", "100,200,500,1000"});
            }
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "Bayesian optimisation: regret on Branin/Hartmann6 vs random and Optuna TPE; ms per proposal up to 1000 trials";
        }
    }

    /**
     * {@code bench mo}: multi-objective search (issue 15), hypervolume on ZDT1, ZDT2, DTLZ2 and BraninCurrin against
     * random search and Optuna's NSGA-II and multi-objective TPE.
     */
    public static final class Mo implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            String gens = ctx.peersEnabled() ? "mobo,random,nsga2-peer,tpe-peer" : "mobo,random";
            io.micromodels.bench.hpo.MultiObjectiveBenchmark.main(args(ctx,
                    List.of("--problem", "zdt1,branincurrin", "--trials", "50", "--seeds", "5", "--generator", gens),
                    List.of("--trials", "100", "--seeds", "20", "--generator", gens)));
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "multi-objective search: hypervolume at 25/50/100 evaluations vs random, Optuna NSGA-II and MOTPE";
        }
    }

    /** {@code bench tune}: trial overhead of the study runner, and German credit Bayesian vs random. */
    public static final class Tune implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            if (!ctx.suiteArgs().isEmpty()) {
                io.micromodels.bench.hpo.TuneBenchmark.main(ctx.suiteArgs().toArray(String[]::new));
            } else if (ctx.quick()) {
                io.micromodels.bench.hpo.TuneBenchmark.main(new String[] {"overhead", "--trials", "35", "--warmup", "5"});
            } else {
                io.micromodels.bench.hpo.TuneBenchmark.main(new String[] {"overhead"});
                io.micromodels.bench.hpo.TuneBenchmark.main(new String[] {"credit", "--seeds", "5", "--trials", "30"});
            }
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "study runner: overhead per trial outside the fit; German credit best AUC, Bayesian vs random";
        }
    }

    /** {@code bench halving}: Bayesian search with and without successive halving inside populations (issue 15). */
    public static final class Halving implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            io.micromodels.bench.hpo.HalvingBenchmark.main(args(ctx,
                    List.of("--datasets", "german_credit,breast_cancer_wdbc", "--seeds", "2", "--wall", "15"),
                    List.of("--seeds", "5", "--wall", "25")));
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "successive halving inside populations: best validation and test metric at equal wall time, with and without";
        }
    }

    /** {@code bench cv}: cross-validated search, k-fold population cost, frozen ensemble speed (issue 12). */
    public static final class Cv implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            if (!ctx.suiteArgs().isEmpty()) {
                io.micromodels.bench.cv.CvBenchmark.main(ctx.suiteArgs().toArray(String[]::new));
            } else if (ctx.quick()) {
                io.micromodels.bench.cv.CvBenchmark.main(new String[] {"ensemble"});
                io.micromodels.bench.cv.CvBenchmark.main(new String[] {"kfold"});
            } else {
                io.micromodels.bench.cv.CvBenchmark.main(new String[] {"all"});
            }
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "cross-validation and ensembles: 30-trial tune --cv 5 --population 8, k-fold vs plain population pass, frozen ensemble-8 us/row";
        }
    }

    /**
     * {@code bench data}: loading and preparing the two largest bundled CSVs, then generated big CSVs in -Xmx2g child
     * JVMs (quick: 200k x 20 prepare and 200k x 6 train for 2 epochs; full: 1M x 20 and 5 epochs);
     * {@code bench data --rows N [--columns C] [--epochs E]} runs one generated case.
     */
    public static final class Data implements BenchSuite {
        @Override
        public void run(BenchContext ctx) {
            if (!ctx.suiteArgs().isEmpty()) {
                // bench data --rows N --columns C [--epochs E]: one generated case (trained for E epochs when given).
                java.util.Map<String, String> o = new java.util.HashMap<>();
                List<String> a = ctx.suiteArgs();
                for (int i = 0; i + 1 < a.size(); i += 2) {
                    o.put(a.get(i), a.get(i + 1));
                }
                if (!o.keySet().stream().allMatch(k -> List.of("--rows", "--columns", "--epochs").contains(k)) || a.size() % 2 != 0
                        || !o.containsKey("--rows")) {
                    throw new IllegalArgumentException("bench data takes --rows N [--columns C (default 20)] [--epochs E (train too)], got " + a);
                }
                String rows = o.get("--rows");
                String cols = o.getOrDefault("--columns", "20");
                io.micromodels.bench.data.DataBenchmark.main(o.containsKey("--epochs")
                        ? new String[] {"big", "child", "train", rows, cols, o.get("--epochs")}
                        : new String[] {"big", "child", "prepare", rows, cols});
                return;
            }
            io.micromodels.bench.data.DataBenchmark.main(ctx.quick() ? new String[] {"1", "3"} : new String[] {"3", "7"});
            // Big generated data, each case in a -Xmx2g child JVM: quick 200k rows, full the 1M x 20 target case.
            io.micromodels.bench.data.DataBenchmark.main(ctx.quick()
                    ? new String[] {"big", "child", "prepare", "200000", "20"} : new String[] {"big", "child", "prepare", "1000000", "20"});
            io.micromodels.bench.data.DataBenchmark.main(ctx.quick()
                    ? new String[] {"big", "child", "train", "200000", "6", "2"} : new String[] {"big", "child", "train", "200000", "6", "5"});
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "data pipeline: flights (20k rows) and metro traffic (17.5k rows); generated 1M x 20 prepare and 200k x 6 train (-Xmx2g)";
        }
    }

    /** {@code bench datasets}: every bundled dataset, default micromodel vs majority/mean and linear baselines. */
    public static final class Datasets implements BenchSuite {
        @Override
        public void run(BenchContext ctx) {
            io.micromodels.bench.data.DatasetBaselines.main(args(ctx,
                    List.of("--seeds", "1", "--datasets", "german_credit,breast_cancer_wdbc,diabetes_progression"),
                    List.of("--seeds", "3")));
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "test metric of the default micromodel on every bundled dataset vs majority/mean and linear models";
        }
    }

    /** {@code bench explain}: exact and Kernel SHAP per row through a trained model's frozen network. */
    public static final class Explain implements BenchSuite {
        @Override
        public void run(BenchContext ctx) {
            io.micromodels.bench.explain.ShapBenchmark.main(args(ctx, List.of("real", "3", "7"), List.of("real", "10", "21")));
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "SHAP per row: exact (10 features) and Kernel (30 features), 100 background rows";
        }
    }

    /**
     * {@code bench population}: K candidates trained together vs one after another in DL4J and in PyTorch; the full
     * size first compares a 64-trial German credit search with and without populations. Last line
     * {@code speedup@K=64: X}.
     */
    public static final class Population implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            if (!ctx.suiteArgs().isEmpty()) {
                io.micromodels.bench.population.PopulationBenchmark.main(ctx.suiteArgs().toArray(String[]::new));
                return;
            }
            if (!ctx.quick()) {
                io.micromodels.bench.hpo.TuneBenchmark.main(new String[] {"population", "--trials", "64", "--k", "16"});
            }
            io.micromodels.bench.population.PopulationBenchmark.main(ctx.quick()
                    ? new String[] {"--k", "1,8,64"} : new String[] {"--k", "1,8,64,256"});
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "population training: K candidates per batched ND4J pass vs sequential DL4J and PyTorch";
        }
    }

    /**
     * {@code bench load}: the frozen-model HTTP server under 200 keep-alive clients plus 50 slow-loris connections
     * (issue 11); quick is 10 s measured, full 30 s. Last line {@code load: PASS|FAIL p99 X ms ...}.
     */
    public static final class Load implements BenchSuite {
        @Override
        public void run(BenchContext ctx) throws Exception {
            io.micromodels.bench.load.HostileLoadBenchmark.run(io.micromodels.bench.load.HostileLoadBenchmark.Options.parse(
                    args(ctx, List.of("--duration", "10", "--warmup", "3"), List.of("--duration", "30", "--warmup", "5"))));
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "HTTP server: 200 keep-alive clients + 50 slow-loris connections; p99, errors, server threads and memory";
        }
    }

    /**
     * {@code bench quality}: test metric of default, tuned, CV-tuned and ensembled micromodels against linear models,
     * XGBoost4J and scikit-learn peers on every bundled dataset, over the same split seeds. Last line
     * {@code median gap to XGBoost: X%}.
     */
    public static final class Quality implements BenchSuite {
        @Override
        public void run(BenchContext ctx) {
            List<String> a = new ArrayList<>(List.of(args(ctx,
                    List.of("--seeds", "2", "--trials", "6", "--population", "6", "--ensemble", "3", "--max-train-rows", "2000"),
                    List.of("--seeds", "5", "--trials", "30", "--population", "8", "--ensemble", "8"))));
            if (!ctx.peersEnabled() && !a.contains("--methods")) {
                a.addAll(List.of("--methods", "default,tuned,cv,ensemble,linear,xgb,xgb-tuned"));
            }
            io.micromodels.bench.quality.QualityBenchmark.run(
                    io.micromodels.bench.quality.QualityBenchmark.Options.parse(a.toArray(String[]::new)), ctx.out());
        }

        @Override
        public boolean acceptsOptions() {
            return true;
        }

        @Override
        public String description() {
            return "model quality: micromodel default/tuned/CV/ensemble vs linear, XGBoost4J and sklearn on every bundled dataset";
        }
    }
}
