package io.micromodels.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the ND4J backend is chosen and loaded.
 *
 * <p>The choice ({@code cpu | cuda | auto}) comes from the CLI flag {@code --backend}, else the environment
 * variable {@code MICROMODELS_BACKEND}, else the system property {@code micromodels.backend}, else
 * {@code auto}. It is decided <em>before</em> ND4J initialises: ND4J loads the highest-priority backend on the
 * class path (CUDA before CPU, overridable only by the environment variables {@code BACKEND_PRIORITY_CPU/GPU}
 * read once when ND4J loads), so this class narrows ND4J's service lookup to the chosen backend and then checks
 * that ND4J really loaded it.
 *
 * <ul>
 *   <li>{@code cuda} without the CUDA build on the class path, or with it but no usable GPU, fails with a
 *       message saying which of the two and how to fix it;</li>
 *   <li>{@code auto} falls back to the CPU with one line saying so;</li>
 *   <li>the backend and device actually loaded are logged once and returned as {@link BackendInfo}.</li>
 * </ul>
 *
 * <pre>{@code
 * BackendInfo info = Backend.initialise(Backend.resolve(null));   // before any other ND4J use
 * System.out.println(info.summary());
 * }</pre>
 *
 * <p>Nothing heavy happens when this class loads; ND4J is touched only by {@link #initialise}.
 */
public final class Backend {
    /** Environment variable naming the backend. */
    public static final String ENV = "MICROMODELS_BACKEND";
    /** System property naming the backend. */
    public static final String PROPERTY = "micromodels.backend";
    /** ND4J's CPU backend class. */
    public static final String CPU_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    /** ND4J's CUDA backend class. */
    public static final String CUDA_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
    private static final String SERVICE = "META-INF/services/" + Nd4jBackend.class.getName();
    private static BackendInfo loaded;

    private Backend() {
    }

    /** A choice and where it came from. */
    public record Resolved(BackendChoice choice, String source) {
    }

    /** Whether and how the CUDA backend could run here. */
    public record CudaStatus(State state, String reason) {
        /** The three cases the choice depends on. */
        public enum State { ABSENT, UNUSABLE, USABLE }
    }

    /** What to load, and the one line to print when {@code auto} fell back to the CPU (or null). */
    public record Decision(String backendClass, String fallbackNote) {
    }

    /** Resolves the choice from the CLI flag (may be null), the real environment and system properties. */
    public static Resolved resolve(String cliFlag) {
        return resolve(cliFlag, System.getenv(), System.getProperties());
    }

    /** Resolves the choice: CLI flag, then {@value #ENV}, then {@value #PROPERTY}, then {@code auto}. */
    public static Resolved resolve(String cliFlag, Map<String, String> env, Properties props) {
        if (cliFlag != null && !cliFlag.isBlank()) {
            return new Resolved(BackendChoice.parse(cliFlag, "--backend"), "--backend");
        }
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) {
            return new Resolved(BackendChoice.parse(e, ENV), ENV);
        }
        String p = props.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return new Resolved(BackendChoice.parse(p, "-D" + PROPERTY), "-D" + PROPERTY);
        }
        return new Resolved(BackendChoice.AUTO, "default");
    }

    /**
     * The decision for a choice given what CUDA can do here: pure, so every path is testable on a CPU machine.
     *
     * @throws BackendException for {@code cuda} when the CUDA build is absent or no GPU is usable
     */
    public static Decision decide(BackendChoice choice, CudaStatus cuda) {
        return switch (choice) {
            case CPU -> new Decision(CPU_CLASS, null);
            case CUDA -> switch (cuda.state()) {
                case USABLE -> new Decision(CUDA_CLASS, null);
                case ABSENT -> throw new BackendException("backend cuda: this build has no CUDA backend on the class "
                        + "path (the CUDA build is absent). Rebuild with the cuda profile on a machine with an NVIDIA "
                        + "GPU and CUDA 11.6 (mvn -Pcuda -DskipTests package, or MICROMODELS_MAVEN_ARGS=-Pcuda "
                        + "./micromodels ...), or use --backend cpu or auto.");
                case UNUSABLE -> throw new BackendException("backend cuda: the CUDA build is present but no usable GPU "
                        + "was found (" + cuda.reason() + "). Check the NVIDIA driver and CUDA 11.6 runtime "
                        + "(nvidia-smi, LD_LIBRARY_PATH), or use --backend cpu or auto.");
            };
            case AUTO -> switch (cuda.state()) {
                case USABLE -> new Decision(CUDA_CLASS, null);
                case ABSENT -> new Decision(CPU_CLASS, "backend auto: no CUDA build on the class path, using the CPU");
                case UNUSABLE -> new Decision(CPU_CLASS, "backend auto: CUDA build present but no usable GPU ("
                        + cuda.reason() + "), falling back to the CPU");
            };
        };
    }

    /**
     * Probes whether the CUDA backend is on the class path and can run, without initialising ND4J. ND4J's CUDA
     * backend prints a stack trace to standard error when its native libraries do not load; that output is held
     * back (its first line becomes the reason), so the user sees one clear message.
     */
    public static CudaStatus probeCuda(ClassLoader loader) {
        Class<?> cls;
        try {
            cls = Class.forName(CUDA_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return new CudaStatus(CudaStatus.State.ABSENT, "class " + CUDA_CLASS + " not found");
        }
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(held, true, StandardCharsets.UTF_8));
        try {
            Nd4jBackend b = (Nd4jBackend) cls.getDeclaredConstructor().newInstance();
            if (!b.isAvailable()) {
                return new CudaStatus(CudaStatus.State.UNUSABLE, "the CUDA libraries did not load" + firstLine(held));
            }
            if (!b.canRun()) {
                return new CudaStatus(CudaStatus.State.UNUSABLE, "no CUDA device found" + firstLine(held));
            }
            return new CudaStatus(CudaStatus.State.USABLE, "");
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return new CudaStatus(CudaStatus.State.UNUSABLE, root.getClass().getSimpleName() + ": " + root.getMessage());
        } finally {
            System.setErr(err);
        }
    }

    /**
     * Chooses, loads and verifies the ND4J backend, once per process; later calls return the same info (and
     * fail if they ask for a different backend than the one loaded).
     *
     * @throws BackendException when the choice cannot be honoured
     */
    public static synchronized BackendInfo initialise(Resolved resolved) {
        ClassLoader app = Backend.class.getClassLoader();
        if (loaded != null) {
            if (resolved.choice() != BackendChoice.AUTO && !loaded.name().equals(resolved.choice().label())) {
                if (resolved.choice() == BackendChoice.CUDA) {
                    // say first why CUDA could not run at all, as a fresh process would, whatever loaded first
                    decide(BackendChoice.CUDA, probeCuda(app));
                }
                throw new BackendException("backend " + resolved.choice().label() + " requested, but ND4J already "
                        + "loaded " + loaded.name() + " in this process; choose the backend before any other ND4J use");
            }
            return loaded;
        }
        // cpu needs no probe: loading the CUDA libraries only to discard them costs seconds and prints errors
        CudaStatus cuda = resolved.choice() == BackendChoice.CPU
                ? new CudaStatus(CudaStatus.State.ABSENT, "not probed: cpu was chosen") : probeCuda(app);
        Decision d = decide(resolved.choice(), cuda);
        if (d.fallbackNote() != null) {
            LOG.info(d.fallbackNote());
        }
        ND4JClassLoading.setNd4jClassloader(new SingleBackendLoader(app, d.backendClass()));
        Nd4jBackend backend;
        try {
            backend = Nd4j.getBackend();
        } catch (Throwable t) {
            throw new BackendException("ND4J could not load the " + simpleName(d.backendClass()) + " backend: " + t, t);
        } finally {
            ND4JClassLoading.setNd4jClassloader(app);
        }
        if (!backend.getClass().getName().equals(d.backendClass())) {
            throw new BackendException("ND4J loaded " + backend.getClass().getSimpleName() + " instead of the chosen "
                    + simpleName(d.backendClass()) + "; was ND4J used before Backend.initialise?");
        }
        boolean gpu = d.backendClass().equals(CUDA_CLASS);
        loaded = new BackendInfo(gpu ? "cuda" : "cpu", backend.getClass().getSimpleName(),
                gpu ? gpuDevices() : cpuModel(), details(gpu),
                resolved.choice().label() + " (" + resolved.source() + ")");
        LOG.info(loaded.summary());
        return loaded;
    }

    /** The backend loaded in this process, initialising with {@link #resolve(String) resolve(null)} if needed. */
    public static synchronized BackendInfo current() {
        return loaded != null ? loaded : initialise(resolve(null));
    }

    private static String firstLine(java.io.ByteArrayOutputStream held) {
        String text = held.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse("");
    }

    private static String simpleName(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static String details(boolean gpu) {
        StringBuilder sb = new StringBuilder();
        try {
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            Object blas = env.get("blas.vendor");
            if (blas != null) {
                sb.append("BLAS ").append(blas).append(", ");
            }
            Object omp = env.get("omp.threads");
            if (omp != null) {
                sb.append(omp).append(" OpenMP threads, ");
            }
            if (gpu) {
                Object cuda = env.get("cuda.version");
                if (cuda != null) {
                    sb.append("CUDA ").append(cuda).append(", ");
                }
            }
        } catch (RuntimeException e) {
            sb.append("environment unknown (").append(e.getMessage()).append("), ");
        }
        sb.append("float32");
        return sb.toString();
    }

    private static String gpuDevices() {
        try {
            Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
            if (devices instanceof List<?> list && !list.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m && m.get("cuda.deviceName") != null) {
                        names.add(String.valueOf(m.get("cuda.deviceName")));
                    }
                }
                if (!names.isEmpty()) {
                    return String.join(", ", names);
                }
            }
        } catch (RuntimeException e) {
            return "GPU (name unknown: " + e.getMessage() + ")";
        }
        return "GPU (name unknown)";
    }

    /** The CPU model and logical core count, from /proc/cpuinfo where it exists. */
    public static String cpuModel() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + " (" + cores + " logical cores)";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch") + " CPU (" + cores + " logical cores)";
    }

    /**
     * A class loader that shows ND4J only the service entry of one backend, so ND4J's own
     * highest-priority-first lookup cannot pick another. Everything else is delegated unchanged.
     */
    static final class SingleBackendLoader extends ClassLoader {
        private final String keep;

        SingleBackendLoader(ClassLoader parent, String keep) {
            super(parent);
            this.keep = keep;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> all = getParent().getResources(name);
            if (!SERVICE.equals(name)) {
                return all;
            }
            List<URL> kept = new ArrayList<>();
            for (URL url : Collections.list(all)) {
                if (lists(url, keep)) {
                    kept.add(url);
                }
            }
            return Collections.enumeration(kept);
        }

        private static boolean lists(URL url, String cls) throws IOException {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int hash = line.indexOf('#');
                    String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
                    if (entry.equals(cls)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
