package io.micromodels.kernel;

import com.google.gson.GsonBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code micromodels-java} Jupyter kernelspec: a folder holding {@code kernel.json}, which tells Jupyter to start
 * {@link KernelMain} with this Java and the project's jars, with interrupts sent as messages (a signal would end the
 * JVM). Written by {@code ./micromodels kernel install}:
 *
 * <pre>
 * KernelSpec spec = KernelSpec.forThisJvm("micromodels-java", List.of());
 * spec.install(KernelSpec.userKernelsDir(System.getenv()), false);   // ~/.local/share/jupyter/kernels/micromodels-java
 * </pre>
 *
 * @param name        the kernel's name, the folder's name (letters, digits, '.', '_', '-')
 * @param displayName what the notebook's kernel menu shows
 * @param argv        the command Jupyter runs; {@code {connection_file}} is replaced by Jupyter
 * @param env         environment variables for the kernel process
 */
public record KernelSpec(String name, String displayName, List<String> argv, Map<String, String> env) {
    /** The default kernel name. */
    public static final String DEFAULT_NAME = "micromodels-java";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public KernelSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("--display-name must not be empty");
        }
        if (argv == null || argv.isEmpty() || !argv.contains("{connection_file}")) {
            throw new IllegalArgumentException("argv must hold {connection_file}, got " + argv);
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /**
     * The spec that starts the kernel with this JVM's {@code java} and this JVM's class path (made absolute), plus
     * {@code jvmOptions} (e.g. {@code -Xmx8g}).
     */
    public static KernelSpec forThisJvm(String name, List<String> jvmOptions) {
        return forClassPath(name, System.getProperty("java.class.path", ""), jvmOptions);
    }

    /** The spec for a given class path (entries separated by {@link File#pathSeparator}). */
    public static KernelSpec forClassPath(String name, String classPath, List<String> jvmOptions) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the class path is empty: run through ./micromodels");
        }
        for (String option : jvmOptions) {
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("--jvm-option must start with '-', got '" + option + "'");
            }
        }
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-Djava.awt.headless=true");
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, entries));
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        return new KernelSpec(name, "Java (Micromodels)", argv, Map.of("OMP_NUM_THREADS", "1"));
    }

    /** kernel.json's text. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", argv);
        json.put("display_name", displayName);
        json.put("language", "java");
        json.put("interrupt_mode", "message");
        json.put("env", new java.util.TreeMap<>(env));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    }

    /**
     * Writes {@code kernelsDir/<name>/kernel.json} (via a temporary file and a rename). An existing kernel.json with
     * other content is only replaced when {@code force} is set. Returns the kernel's folder.
     */
    public Path install(Path kernelsDir, boolean force) throws IOException {
        Path dir = kernelsDir.resolve(name);
        Path target = dir.resolve("kernel.json");
        String json = toJson();
        if (Files.exists(target) && !force && !Files.readString(target, StandardCharsets.UTF_8).equals(json)) {
            throw new IllegalArgumentException(target + " exists with other content; add --force to replace it");
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".kernel", ".json.tmp");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return dir;
    }

    /**
     * The user's Jupyter kernels folder, as Jupyter finds it on Linux: {@code $JUPYTER_DATA_DIR/kernels}, else
     * {@code $XDG_DATA_HOME/jupyter/kernels}, else {@code ~/.local/share/jupyter/kernels}.
     */
    public static Path userKernelsDir(Map<String, String> env) {
        String data = env.get("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) {
            return Path.of(data).resolve("kernels");
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "jupyter", "kernels");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "jupyter", "kernels");
    }

    /** The kernels folder under an installation prefix ({@code --prefix}, or Python's {@code sys.prefix}). */
    public static Path prefixKernelsDir(Path prefix) {
        return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    }
}
