package io.micromodels.cli;

import io.micromodels.report.StudyDashboard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code micromodels dashboard STUDY}: serves the live study dashboard on 127.0.0.1 until stopped (Ctrl-C). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve a live dashboard of a study folder on 127.0.0.1 (updates every second while the study runs).")
final class DashboardCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "STUDY", description = "Study folder (study.json, trials.jsonl).")
    Path study;

    @Option(names = "--port", paramLabel = "P", description = "Port on 127.0.0.1, 0 for any free one (default 8050).")
    int port = 8050;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliException("--port must be in [0, 65535], got " + port);
        }
        try (StudyDashboard d = StudyDashboard.start(study, port)) {
            command.commandLine().getOut().println("dashboard of " + study + " at " + d.uri() + " (Ctrl-C stops it)");
            command.commandLine().getOut().flush();
            Thread.currentThread().join();
        }
        return 0;
    }
}
