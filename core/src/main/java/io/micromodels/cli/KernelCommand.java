package io.micromodels.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels kernel install [--sys-prefix|--prefix DIR] [--force]}: installs the Java Jupyter kernel of the
 * kernel module (on the class path when started through {@code ./micromodels}); {@code kernel spec} prints it.
 */
@Command(name = "kernel", description = "Java Jupyter kernel: 'kernel install' writes the micromodels-java kernelspec; 'kernel --help' for more.")
final class KernelCommand implements Callable<Integer> {
    static final String KERNEL_CLI = "io.micromodels.kernel.KernelCli";

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "install [--user|--sys-prefix|--prefix DIR] [--name N] [--jvm-option OPT] [--force], or spec")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Method entry;
        try {
            entry = Class.forName(KERNEL_CLI).getMethod("run", String[].class, PrintWriter.class, PrintWriter.class);
        } catch (ReflectiveOperationException e) {
            throw new CliException("the Java kernel (kernel module) is not on the class path; run through ./micromodels");
        }
        try {
            return (Integer) entry.invoke(null, args.toArray(String[]::new), command.commandLine().getOut(),
                    command.commandLine().getErr());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
