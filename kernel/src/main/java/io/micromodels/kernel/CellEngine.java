package io.micromodels.kernel;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Gives JShell the kernel's {@link CellExecutionControl} and keeps hold of it for the kernel. */
final class CellEngine implements ExecutionControlProvider {
    private final ClassLoader parent;
    private volatile CellExecutionControl control;

    CellEngine(ClassLoader parent) {
        this.parent = parent;
    }

    @Override
    public String name() {
        return "micromodels-cells";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        control = new CellExecutionControl(new CellLoaderDelegate(parent));
        return control;
    }

    CellExecutionControl control() {
        return control;
    }
}
