package io.micromodels.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The ND4J backend a benchmark run asks for: {@code cpu}, {@code cuda} or {@code auto}
 * (whatever is on the class path).
 *
 * <p>ND4J chooses its backend once, when it first loads, from the backends on the class path and
 * the {@code BACKEND_PRIORITY_CPU}/{@code BACKEND_PRIORITY_GPU} environment variables. Environment
 * variables cannot be changed inside a running JVM, so the request takes effect in child JVMs
 * ({@link #childEnvironment()}); in this JVM it is only checked against what loaded
 * ({@link #verify(MachineFacts)}). Both are deliberately small so that the coordinator's
 * {@code io.micromodels.backend} can replace them.
 */
public enum BackendRequest {
    CPU, CUDA, AUTO;

    /** Parses {@code cpu}, {@code cuda}/{@code gpu} or {@code auto}. */
    public static BackendRequest parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("--backend must be cpu, cuda or auto, not '" + s + "'");
        };
    }

    /**
     * Environment variables that make a child JVM's ND4J prefer this backend (empty for auto).
     * The single place to swap for {@code io.micromodels.backend}.
     */
    public Map<String, String> childEnvironment() {
        return switch (this) {
            case CPU -> Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0");
            case CUDA -> Map.of("BACKEND_PRIORITY_GPU", "100", "BACKEND_PRIORITY_CPU", "0");
            case AUTO -> Map.of();
        };
    }

    /**
     * Checks the backend ND4J loaded in this JVM against the request.
     *
     * @throws IllegalStateException for {@code cuda} when ND4J is on the CPU
     *                               ("GPU results refused: ND4J loaded ... (fell back to the CPU)"),
     *                               for {@code cpu} when ND4J loaded CUDA
     */
    public void verify(MachineFacts facts) {
        if (this == CUDA) facts.requireGpu();
        if (this == CPU && facts.isGpu()) {
            throw new IllegalStateException("CPU results refused: ND4J loaded " + facts.nd4jBackend()
                    + "; build without -Pcuda for CPU figures");
        }
    }

    /** Lower-case name as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
