package io.micromodels.backend;

/**
 * The ND4J backend actually loaded in this process, as recorded in a saved model's provenance.
 *
 * @param name      {@code cpu} or {@code cuda}
 * @param ndBackend ND4J's backend class, e.g. {@code CpuBackend}
 * @param device    the CPU model or GPU name(s)
 * @param details   BLAS vendor, thread count, CUDA version where known
 * @param choice    what was asked for ({@code cpu}, {@code cuda}, {@code auto}) and where the choice came from
 */
public record BackendInfo(String name, String ndBackend, String device, String details, String choice) {
    /** Validates that every field is present. */
    public BackendInfo {
        if (name == null || ndBackend == null || device == null || details == null || choice == null) {
            throw new IllegalArgumentException("every BackendInfo field must be given");
        }
    }

    /** True when the network runs on a CUDA GPU. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isGpu() {
        return "cuda".equals(name);
    }

    /** One line for logs. */
    public String summary() {
        return "backend " + name + " (" + ndBackend + ") on " + device + "; " + details + "; chosen by " + choice;
    }
}
