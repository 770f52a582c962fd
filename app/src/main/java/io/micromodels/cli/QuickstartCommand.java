package io.micromodels.cli;

import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels quickstart}: the whole flow on the bundled German credit data in under three minutes on two
 * cores: the default micromodel, then a short Bayesian search ({@value #SEARCH_TRIALS} trials of up to
 * {@value #SEARCH_EPOCHS} epochs, two at a time) whose best model is saved beside it.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train the default micromodel on the bundled German credit data, then run a short Bayesian "
                + "hyperparameter search; print test metrics and save both models under runs/."})
final class QuickstartCommand implements Runnable {
    static final String DATASET = "german_credit";
    /** Trials of the quickstart's search. */
    static final int SEARCH_TRIALS = 12;
    /** Maximum epochs per trial of the quickstart's search. */
    static final int SEARCH_EPOCHS = 60;
    /** Patience per trial of the quickstart's search. */
    static final int SEARCH_PATIENCE = 8;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow writing into a non-empty --out folder.")
    boolean force;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-search", description = "Only train the default model (skip the hyperparameter search).")
    boolean noSearch;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        long start = System.nanoTime();
        main.loadBackend();
        BundledDataset d = Datasets.load(DATASET);
        PreparedData data = d.prepare(seed);
        o.println("dataset " + d.name() + ": " + data.report());
        Path dir = Outputs.runDir(out, "quickstart", force);
        TrainCommand.Prepared p = new TrainCommand.Prepared(data, "dataset:" + d.name());
        try (TrainedModel model = TrainCommand.trainAndReport(o, command.commandLine().getErr(), p, TrainedModel.defaultSpec(data).withSeed(seed), false)) {
            Path zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, force);
            o.println("saved " + zip);
        }
        if (!noSearch) {
            search(o, dir, data);
        }
        o.printf(java.util.Locale.ROOT, "quickstart finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** A short Bayesian search in DIR/search, its best model saved as DIR/search/best-model.zip. */
    private void search(PrintWriter o, Path dir, PreparedData data) {
        StudyOptions options = StudyOptions.forDataset(DATASET).withSeed(seed).withTrials(SEARCH_TRIALS)
                .withEpochs(SEARCH_EPOCHS, SEARCH_PATIENCE).withExecution(2, 2);
        Path studyDir = dir.resolve("search");
        try (Study study = Study.create(studyDir, options, data)) {
            search(o, study, studyDir);
        }
    }

    private void search(PrintWriter o, Study study, Path studyDir) {
        o.println();
        o.println("hyperparameter search: " + SEARCH_TRIALS + " Bayesian trials over " + study.space().coordinateNames()
                + ", up to " + SEARCH_EPOCHS + " epochs each, 2 at a time, optimising validation "
                + study.objective().metricName());
        study.run(TuneCommand.leaderboard(o, study.objective(), SEARCH_TRIALS));
        if (study.best().isEmpty()) {
            o.println("no search trial completed; keeping the default model");
            return;
        }
        try (TrainedModel best = study.saveBest()) {
            o.println("best of the search: trial " + study.best().orElseThrow().number() + ", "
                    + TuneCommand.describe(best.spec()));
            o.println("test metrics of the search's best model:");
            o.print(best.testMetrics().table());
            o.println("saved " + study.bestModelPath() + "  (continue the search: micromodels tune --resume " + studyDir
                    + " --trials 30)");
        }
    }
}
