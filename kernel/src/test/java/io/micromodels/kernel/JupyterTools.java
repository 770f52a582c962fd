package io.micromodels.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the kernel tests need from the machine: a Python with Jupyter's client libraries (Debian's
 * python3-jupyter-client, python3-nbclient), and the kernelspec of the kernel under test written into a temporary
 * Jupyter data folder. Without Jupyter the tests are skipped, unless MICROMODELS_REQUIRE_JUPYTER=1 (set by .ci/run),
 * where they fail.
 */
final class JupyterTools {
    private JupyterTools() {
    }

    /** A Python that can import all the modules, or skips (fails in CI) when there is none. */
    static String pythonWith(String... modules) {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("MICROMODELS_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        candidates.add("/usr/bin/python3"); // Debian's packages live here even when another python3 comes first
        candidates.add("python3");
        String imports = "import " + String.join(", ", modules);
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", imports).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed under this name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String what = "no Python with " + String.join(", ", modules)
                + " (Debian: apt-get install python3-jupyter-client python3-nbclient jupyter-notebook)";
        if ("1".equals(System.getenv("MICROMODELS_REQUIRE_JUPYTER"))) {
            fail(what + "; MICROMODELS_REQUIRE_JUPYTER=1 so this is a failure");
        }
        Assumptions.assumeTrue(false, what);
        return null;
    }

    /** Writes the kernelspec of this build (target/classes and the module's run-time class path) under dataDir. */
    static KernelSpec installKernel(Path dataDir) throws IOException {
        String classes = System.getProperty("kernel.classes");
        String cpFile = System.getProperty("kernel.classpath.file");
        if (classes == null || cpFile == null) {
            fail("run through Maven: the kernel.classes and kernel.classpath.file properties are missing");
        }
        String classPath = classes + File.pathSeparator + Files.readString(Path.of(cpFile), StandardCharsets.UTF_8).trim();
        Path kernelTmp = Files.createDirectories(dataDir.resolve("tmp")); // the notebooks' temporary folders go here
        KernelSpec spec = KernelSpec.forClassPath(KernelSpec.DEFAULT_NAME, classPath,
                List.of("-Xmx2g", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + kernelTmp));
        spec.install(dataDir.resolve("kernels"), false);
        return spec;
    }

    /** The project's root folder. */
    static Path projectRoot() {
        String root = System.getProperty("project.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /** Runs a Python script with Jupyter's data folder set; returns its stdout, fails with its stderr. */
    static String runPython(String python, Path script, List<String> args, Path dataDir, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_DATA_DIR", dataDir.toString());
        env.put("JUPYTER_PATH", dataDir.toString());
        env.put("JUPYTER_RUNTIME_DIR", dataDir.resolve("runtime").toString());
        env.put("OMP_NUM_THREADS", "1");
        Path err = Files.createTempFile(workDir, "driver", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script.getFileName() + " did not finish in " + timeoutSeconds + " s; stderr:\n" + tail(err));
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(script.getFileName() + " failed (exit " + p.exitValue() + "):\n" + stdout + "\n" + tail(err));
        }
        return stdout;
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /** Copies a test resource of this package to a file. */
    static Path resource(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = JupyterTools.class.getResourceAsStream(name)) {
            if (in == null) {
                fail("missing test resource " + name);
            }
            Files.copy(in, target);
        }
        return target;
    }
}
