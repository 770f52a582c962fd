package io.micromodels.cli;

import io.micromodels.kernel.KernelCli;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels kernel install [--sys-prefix|--prefix DIR] [--force]}: installs the Java Jupyter kernel of the
 * kernel module ({@link KernelCli}) with this JVM's class path; {@code kernel spec} prints it.
 */
@Command(name = "kernel", description = "Java Jupyter kernel: 'kernel install' writes the micromodels-java kernelspec; 'kernel --help' for more.")
final class KernelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "install [--user|--sys-prefix|--prefix DIR] [--name N] [--jvm-option OPT] [--force], or spec")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return KernelCli.run(args.toArray(String[]::new), command.commandLine().getOut(), command.commandLine().getErr());
    }
}
