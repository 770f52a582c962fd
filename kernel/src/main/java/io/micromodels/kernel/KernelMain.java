package io.micromodels.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the kernel for a Jupyter front end: {@code java -cp <project jars> io.micromodels.kernel.KernelMain
 * <connection file>}, the command the {@code micromodels-java} kernelspec holds (see {@link KernelSpec}).
 */
public final class KernelMain {
    private KernelMain() {
    }

    /** Entry point; the only argument is the connection file Jupyter wrote. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain <connection file>");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("kernel: connection file " + connectionFile + " does not exist");
            System.exit(2);
        }
        quietLogging();
        exitWithParent(System.getenv("JPY_PARENT_PID"));
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);
        MicromodelsKernel kernel = MicromodelsKernel.create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        // ND4J and JeroMQ leave non-daemon threads behind; the front end expects the process to end.
        System.exit(0);
    }

    /**
     * Ends this process when the Jupyter process that started it ends (jupyter_client passes its id in
     * JPY_PARENT_PID), so a front end that dies, or is killed, leaves no kernel running on its own.
     */
    private static void exitWithParent(String parentPid) {
        if (parentPid == null || !parentPid.matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(parentPid);
        ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("kernel: the Jupyter process " + pid + " ended; exiting");
                    Runtime.getRuntime().halt(0);
                }),
                () -> {
                    System.err.println("kernel: the Jupyter process " + pid + " is gone; exiting");
                    Runtime.getRuntime().halt(0);
                });
    }

    /** slf4j-simple reads these once: warnings only, as the command line does without --verbose. */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        setIfAbsent("org.nd4j.log.initialization", "false");
        setIfAbsent("java.awt.headless", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
