package io.micromodels.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark ran on: host, CPU, memory, OS, JVM, thread settings, the ND4J backend that
 * actually loaded and, where present, the GPU. Written next to every result so figures are
 * never quoted without their machine.
 *
 * <p>{@link #collect()} loads ND4J (about two seconds) and reads what it reports;
 * {@link #collectHostOnly()} leaves ND4J alone. Absent values are empty strings.
 *
 * <pre>{@code
 * MachineFacts facts = MachineFacts.collect();
 * if (wantGpu) facts.requireGpu();   // throws if ND4J fell back to the CPU
 * facts.asMap().forEach((k, v) -> System.out.println(k + ": " + v));
 * }</pre>
 *
 * @param date             ISO-8601 local date-time with offset, to the second
 * @param hostname         host name
 * @param cpuModel         first "model name" of /proc/cpuinfo
 * @param logicalCores     logical cores the JVM sees
 * @param memoryBytes      MemTotal of /proc/meminfo in bytes, 0 if unknown
 * @param os               OS pretty name (/etc/os-release) or os.name
 * @param kernel           kernel release (os.version) and architecture
 * @param jvm              JVM vendor, name and version
 * @param ompNumThreadsEnv OMP_NUM_THREADS of this process, empty if unset
 * @param nd4jBackend      ND4J backend class that loaded, empty if ND4J was not loaded
 * @param nd4jBackendType  ND4J's own "backend" environment entry (CPU, CUDA), empty if not loaded
 * @param nd4jDevice       device ND4J computes on (CPU model, or CUDA device name)
 * @param nd4jThreads      ND4J's max threads ({@code Nd4j.getEnvironment().maxThreads()}), 0 if not loaded
 * @param ompThreads       OpenMP threads ND4J reports ("omp.threads"), 0 if not loaded
 * @param blasThreads      BLAS threads ND4J reports ("blas.threads"), 0 if not loaded
 * @param blasVendor       BLAS vendor ND4J reports
 * @param gpuName          GPU name(s) from nvidia-smi, empty if none
 * @param gpuMemory        GPU memory total from nvidia-smi
 * @param gpuDriver        NVIDIA driver version
 * @param cudaVersion      CUDA version the driver supports (nvidia-smi header), empty if none
 * @param nd4jCudaInfo     ND4J's CUDA device information, empty on the CPU backend
 * @param loadAverage      1, 5 and 15 minute load averages (/proc/loadavg) when collected: other
 *                         processes' load makes timings noisy
 */
public record MachineFacts(String date, String hostname, String cpuModel, int logicalCores, long memoryBytes,
                           String os, String kernel, String jvm, String ompNumThreadsEnv,
                           String nd4jBackend, String nd4jBackendType, String nd4jDevice,
                           int nd4jThreads, int ompThreads, int blasThreads, String blasVendor,
                           String gpuName, String gpuMemory, String gpuDriver, String cudaVersion,
                           String nd4jCudaInfo, String loadAverage) {

    /** Collects host facts, loads ND4J and records what it loaded. */
    public static MachineFacts collect() {
        return withNd4j(collectHostOnly());
    }

    /** Collects host, JVM and GPU facts without loading ND4J. */
    public static MachineFacts collectHostOnly() {
        String[] gpu = nvidiaSmi();
        return new MachineFacts(
                OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                readHostname(), readCpuModel(), Runtime.getRuntime().availableProcessors(), memTotalBytes(),
                osName(), System.getProperty("os.version", "") + " " + System.getProperty("os.arch", ""),
                System.getProperty("java.vendor", "") + " " + System.getProperty("java.vm.name", "") + " "
                        + System.getProperty("java.runtime.version", System.getProperty("java.version", "")),
                System.getenv().getOrDefault("OMP_NUM_THREADS", ""),
                "", "", "", 0, 0, 0, "", gpu[0], gpu[1], gpu[2], gpu[3], "", loadAverageNow());
    }

    /** These facts completed with what ND4J reports; loads ND4J if it is not loaded yet. */
    public static MachineFacts withNd4j(MachineFacts host) {
        Nd4jView v = Nd4jView.read();
        String device = "CUDA".equalsIgnoreCase(v.type) ? v.cudaDeviceNames : "CPU: " + host.cpuModel();
        return new MachineFacts(host.date, host.hostname, host.cpuModel, host.logicalCores, host.memoryBytes,
                host.os, host.kernel, host.jvm, host.ompNumThreadsEnv,
                v.backendClass, v.type, device, v.maxThreads, v.ompThreads, v.blasThreads, v.blasVendor,
                host.gpuName, host.gpuMemory, host.gpuDriver, host.cudaVersion, v.cudaInfo, host.loadAverage);
    }

    /** True only if ND4J really loaded a CUDA backend (not merely if a GPU is present). */
    public boolean isGpu() {
        return "CUDA".equalsIgnoreCase(nd4jBackendType)
                || nd4jBackend.toLowerCase(Locale.ROOT).contains("jcublas")
                || nd4jBackend.toLowerCase(Locale.ROOT).contains("cuda");
    }

    /**
     * Refuses GPU results when ND4J is not on a GPU.
     *
     * @throws IllegalStateException "GPU results refused: ND4J loaded &lt;backend&gt; (fell back to the CPU)"
     */
    public void requireGpu() {
        if (isGpu()) return;
        if (nd4jBackend.isEmpty()) {
            throw new IllegalStateException("GPU results refused: ND4J was not loaded, so no GPU backend is known");
        }
        throw new IllegalStateException("GPU results refused: ND4J loaded " + nd4jBackend + " (fell back to the CPU)");
    }

    /** {@code cuda}, {@code cpu}, or {@code host} when ND4J was not loaded; used in file names. */
    public String backendLabel() {
        if (nd4jBackend.isEmpty()) return "host";
        return isGpu() ? "cuda" : "cpu";
    }

    /** Facts as ordered label/value pairs (empty values kept), for tables and CSV columns. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", date);
        m.put("host", hostname);
        m.put("cpu", cpuModel);
        m.put("logical_cores", String.valueOf(logicalCores));
        m.put("memory", memoryBytes > 0 ? String.format(Locale.ROOT, "%.1f GiB", memoryBytes / 1073741824.0) : "");
        m.put("os", os);
        m.put("kernel", kernel);
        m.put("jvm", jvm);
        m.put("env_OMP_NUM_THREADS", ompNumThreadsEnv);
        m.put("nd4j_backend", nd4jBackend);
        m.put("nd4j_backend_type", nd4jBackendType);
        m.put("nd4j_device", nd4jDevice);
        m.put("nd4j_max_threads", nd4jThreads > 0 ? String.valueOf(nd4jThreads) : "");
        m.put("nd4j_omp_threads", ompThreads > 0 ? String.valueOf(ompThreads) : "");
        m.put("nd4j_blas_threads", blasThreads > 0 ? String.valueOf(blasThreads) : "");
        m.put("blas_vendor", blasVendor);
        m.put("gpu", gpuName);
        m.put("gpu_memory", gpuMemory);
        m.put("gpu_driver", gpuDriver);
        m.put("cuda_version", cudaVersion);
        m.put("nd4j_cuda_info", nd4jCudaInfo);
        m.put("load_average", loadAverage);
        return m;
    }

    /** One line: host, CPU, cores, backend, device, threads. */
    public String summary() {
        return String.format(Locale.ROOT, "%s | %s | %d logical cores | %s | ND4J %s (%s) | OMP_NUM_THREADS=%s | nd4j threads %d",
                hostname, cpuModel, logicalCores, asMap().get("memory"),
                nd4jBackend.isEmpty() ? "not loaded" : nd4jBackend, nd4jDevice,
                ompNumThreadsEnv.isEmpty() ? "unset" : ompNumThreadsEnv, nd4jThreads);
    }

    // ---------------------------------------------------------------- host probes

    /** The 1, 5 and 15 minute load averages of /proc/loadavg, e.g. {@code 1.66 3.71 4.14}; empty if unknown. */
    public static String loadAverageNow() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p.length >= 3 ? p[0] + " " + p[1] + " " + p[2] : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String readHostname() {
        String env = System.getenv("HOSTNAME");
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) return h;
        } catch (IOException e) {
            // fall through
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return env == null ? "unknown-host" : env;
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux
        }
        String env = System.getenv("PROCESSOR_IDENTIFIER");
        return env == null ? System.getProperty("os.arch", "") : env;
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.substring(9).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "").trim();
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.name", "");
    }

    /** name, memory, driver, CUDA version; empty strings if nvidia-smi is absent or fails. */
    static String[] nvidiaSmi() {
        String[] none = {"", "", "", ""};
        Path smi = onPath("nvidia-smi");
        if (smi == null) return none;
        Processes.Outcome q = Processes.run(new ProcessBuilder(smi.toString(),
                "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"), Duration.ofSeconds(20), null);
        if (q.exitCode() != 0 || q.stdout().isEmpty()) return none;
        List<String> names = new ArrayList<>(), mem = new ArrayList<>(), drv = new ArrayList<>();
        for (String line : q.stdout()) {
            String[] p = line.split(",");
            if (p.length < 3) continue;
            names.add(p[0].trim());
            mem.add(p[1].trim());
            drv.add(p[2].trim());
        }
        String cuda = "";
        Processes.Outcome h = Processes.run(new ProcessBuilder(smi.toString()), Duration.ofSeconds(20), null);
        Matcher m = Pattern.compile("CUDA Version:\\s*([0-9.]+)").matcher(String.join("\n", h.stdout()));
        if (m.find()) cuda = m.group(1);
        return new String[] {String.join("; ", names), String.join("; ", mem),
                String.join("; ", drv.stream().distinct().toList()), cuda};
    }

    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/usr/local/bin"));
        if (path != null) dirs.addAll(0, List.of(path.split(java.io.File.pathSeparator)));
        for (String d : dirs) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** The ND4J side, in its own class so host-only collection never touches ND4J classes. */
    private record Nd4jView(String backendClass, String type, int maxThreads, int ompThreads, int blasThreads,
                            String blasVendor, String cudaDeviceNames, String cudaInfo) {
        static Nd4jView read() {
            org.nd4j.linalg.factory.Nd4jBackend backend = org.nd4j.linalg.factory.Nd4j.getBackend();
            Properties p = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
            String type = String.valueOf(p.getOrDefault("backend", ""));
            String cudaInfo = "";
            String names = "";
            Object devices = p.get("cuda.devicesInformation");
            if (devices instanceof List<?> list) {
                List<String> n = new ArrayList<>();
                for (Object d : list) {
                    if (d instanceof Map<?, ?> dm) {
                        Object total = dm.get("cuda.totalMemory");
                        n.add(dm.get("cuda.deviceName") + (total == null ? "" : " (" + total + " bytes, cc "
                                + dm.get("cuda.deviceMajor") + "." + dm.get("cuda.deviceMinor") + ")"));
                    }
                }
                names = String.join("; ", n);
                cudaInfo = "devices=" + p.getOrDefault("cuda.availableDevices", list.size()) + " " + names;
            }
            return new Nd4jView(backend.getClass().getName(), type,
                    org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads(),
                    intOf(p.get("omp.threads")), intOf(p.get("blas.threads")),
                    String.valueOf(p.getOrDefault("blas.vendor", "")), names, cudaInfo);
        }

        private static int intOf(Object o) {
            try {
                return o == null ? 0 : Integer.parseInt(String.valueOf(o).trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
