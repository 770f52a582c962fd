package io.micromodels.cli;

import io.micromodels.data.Datasets;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code micromodels datasets}: lists the bundled datasets. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "List the bundled datasets.")
final class DatasetsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        o.print(Datasets.formatListing());
    }
}
