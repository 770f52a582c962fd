package io.micromodels.kernel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code micromodels kernel install|spec}: installs or prints the {@code micromodels-java} kernelspec
 * (see {@link KernelSpec}). Called by the command line's {@code kernel} command.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "The Java Jupyter kernel for notebooks.",
        subcommands = {KernelCli.Install.class, KernelCli.Spec.class})
public final class KernelCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    /** Entry point: {@code java -cp <project jars> io.micromodels.kernel.KernelCli install}. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs {@code kernel ARGS...}; returns the exit code (2 for bad options). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new KernelCli());
        cli.setCommandName("micromodels kernel");
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parse) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IOException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    static class Common {
        @Option(names = "--name", description = "Kernel name (default: ${DEFAULT-VALUE}).", defaultValue = KernelSpec.DEFAULT_NAME)
        String name;

        @Option(names = "--jvm-option", paramLabel = "OPT", description = "A JVM option for the kernel, e.g. --jvm-option=-Xmx8g (repeatable).")
        List<String> jvmOptions = new ArrayList<>();

        KernelSpec spec() {
            return KernelSpec.forThisJvm(name, jvmOptions);
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Write the kernelspec so that 'jupyter notebook notebooks/' offers the Java kernel "
                    + "(default: the user's Jupyter data folder, $JUPYTER_DATA_DIR if set).")
    static final class Install implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--user", description = "Install for this user (the default).")
        boolean user;

        @Option(names = "--sys-prefix", description = "Install into the prefix of the Python that runs jupyter (sys.prefix).")
        boolean sysPrefix;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/share/jupyter/kernels.")
        Path prefix;

        @Option(names = "--force", description = "Replace a kernel.json with other content.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() throws IOException {
            int chosen = (user ? 1 : 0) + (sysPrefix ? 1 : 0) + (prefix != null ? 1 : 0);
            if (chosen > 1) {
                throw new IllegalArgumentException("choose one of --user, --sys-prefix, --prefix DIR");
            }
            KernelSpec spec = common.spec();
            Path kernels = prefix != null ? KernelSpec.prefixKernelsDir(prefix)
                    : sysPrefix ? KernelSpec.prefixKernelsDir(pythonSysPrefix())
                    : KernelSpec.userKernelsDir(System.getenv());
            Path dir = spec.install(kernels, force);
            command.commandLine().getOut().println("installed kernel " + spec.name() + " in " + dir
                    + "; start with: jupyter notebook notebooks/");
            return 0;
        }
    }

    @Command(name = "spec", mixinStandardHelpOptions = true, description = "Print the kernel.json that install writes.")
    static final class Spec implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            command.commandLine().getOut().print(common.spec().toJson());
            return 0;
        }
    }

    /** sys.prefix of the Python that the {@code jupyter} command on the PATH runs with (python3's if none). */
    static Path pythonSysPrefix() throws IOException {
        String python = "python3";
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path jupyter = Path.of(dir, "jupyter");
            if (Files.isRegularFile(jupyter)) {
                String first = Files.readAllLines(jupyter, StandardCharsets.UTF_8).stream().findFirst().orElse("");
                if (first.startsWith("#!") && first.contains("python")) {
                    python = first.substring(2).trim().split("\\s+")[0];
                }
                break;
            }
        }
        Process p = new ProcessBuilder(python, "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IOException("--sys-prefix: could not ask " + python + " for sys.prefix: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("--sys-prefix: interrupted");
        }
        return Path.of(out);
    }
}
