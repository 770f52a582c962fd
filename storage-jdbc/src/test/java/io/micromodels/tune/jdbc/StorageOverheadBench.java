package io.micromodels.tune.jdbc;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.GeneratorKind;
import io.micromodels.tune.JournalStorage;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyListener;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialExecutor;
import io.micromodels.tune.TrialOutcome;
import io.micromodels.tune.TrialStatus;
import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (prints, asserts nothing): what a storage costs per trial. The same study loop (random sampler, batch 1)
 * runs with an executor that "trains" instantly, so each trial's time is the loop's own: sampler, claims, tells and
 * the reads the study makes (header, trials). Folder study (journal, the baseline) against a SQLite file and, given a
 * URL, PostgreSQL; the difference is what the database adds per trial.
 *
 * <pre>java -cp CLASSPATH io.micromodels.tune.jdbc.StorageOverheadBench TRIALS [jdbc:postgresql://...]</pre>
 */
public final class StorageOverheadBench {
    private StorageOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path tmp = Files.createTempDirectory("storage-bench");
        PreparedData data = TuneData.binary(tmp, 200, 2);
        StudyOptions o = StudyOptions.forCsv(tmp.resolve("binary.csv").toString(), "y").withGenerator(GeneratorKind.RANDOM)
                .withTrials(trials).withEpochs(3, 2);
        List<String> urls = new ArrayList<>();
        urls.add("journal");
        urls.add("jdbc:sqlite:" + tmp.resolve("bench.db"));
        if (args.length > 1) {
            urls.add(args[1]);
        }
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            for (String url : urls) {
                double ms = run(url, o, data, tmp, round + "-" + url.hashCode());
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-12s %4d trials  %.2f ms per trial (study loop and storage, no training)%n",
                            url.startsWith("jdbc:") ? url.substring(5, url.indexOf(':', 5)) : url, trials, ms);
                }
            }
        }
    }

    static double run(String url, StudyOptions o, PreparedData data, Path tmp, String name) {
        TrialExecutor instant = (List<MicromodelSpec> specs, PreparedData d, java.util.function.ObjIntConsumer<TrialOutcome> done) -> {
            List<TrialOutcome> out = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                TrialOutcome t = new TrialOutcome(specs.get(i), TrialStatus.COMPLETE, 0.5 + 1e-6 * (i + out.size()), "auc", 1, 1,
                        0, 0, "", null);
                done.accept(t, i);
                out.add(t);
            }
            return out;
        };
        StudyListener quiet = (t, all) -> { };
        long t0;
        if (url.equals("journal")) {
            try (Study s = Study.create(tmp.resolve("j-" + name), o, data)) {
                s.setExecutor(instant);
                t0 = System.nanoTime();
                s.run(quiet);
            }
            return (System.nanoTime() - t0) / 1e6 / o.trials();
        }
        try (JdbcStorage db = JdbcStorage.create(JdbcStudyOptions.of(url, "bench-" + name), Study.newHeader(o, data));
             Study s = Study.open(db, data, null)) {
            s.setExecutor(instant);
            t0 = System.nanoTime();
            s.run(quiet);
            return (System.nanoTime() - t0) / 1e6 / o.trials();
        }
    }
}
