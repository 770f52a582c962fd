package io.micromodels.kernel;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;

/**
 * The class loader of the cells: it defines the classes JShell compiles for each snippet and delegates everything
 * else to the kernel's own class loader, so cells see the project's classes (and statics, such as {@link Display}'s
 * link to the running kernel) exactly as the kernel does.
 */
final class CellLoaderDelegate implements LoaderDelegate {
    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final Set<String> kernelClassPath = ConcurrentHashMap.newKeySet();
    private final CellClassLoader loader;

    CellLoaderDelegate(ClassLoader parent) {
        this.loader = new CellClassLoader(parent);
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                kernelClassPath.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
    }

    ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void load(ExecutionControl.ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            declared.put(cbcs[i].name(), cbcs[i].bytecodes());
        }
        for (int i = 0; i < cbcs.length; i++) {
            try {
                loaded.put(cbcs[i].name(), loader.loadClass(cbcs[i].name()));
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ExecutionControl.ClassInstallException("cannot load class " + cbcs[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ExecutionControl.ClassBytecodes[] cbcs) {
        for (ExecutionControl.ClassBytecodes cbc : cbcs) {
            declared.put(cbc.name(), cbc.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws ExecutionControl.InternalException {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank() || kernelClassPath.contains(Path.of(entry).toAbsolutePath().normalize().toString())) {
                continue; // already visible through the parent loader
            }
            try {
                loader.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new ExecutionControl.InternalException("bad class path entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        if (c == null) {
            c = loader.loadClass(name);
        }
        return c;
    }

    private final class CellClassLoader extends URLClassLoader {
        CellClassLoader(ClassLoader parent) {
            super("cells", new URL[0], parent);
        }

        void add(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.get(name);
            if (bytes == null) {
                return super.findClass(name);
            }
            return defineClass(name, bytes, 0, bytes.length, (CodeSource) null);
        }
    }
}
