package io.micromodels.cli;

import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code micromodels quickstart}: the whole flow on the bundled German credit data, in well under three minutes. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train a micromodel on the bundled German credit data, print test metrics, save it under runs/.")
final class QuickstartCommand implements Runnable {
    static final String DATASET = "german_credit";

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
        try (TrainedModel model = TrainCommand.trainAndReport(o, p, TrainedModel.defaultSpec(data).withSeed(seed), false)) {
            Path zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, force);
            o.println("saved " + zip);
        }
        o.printf(java.util.Locale.ROOT, "quickstart finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
