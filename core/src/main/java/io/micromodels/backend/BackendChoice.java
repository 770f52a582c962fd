package io.micromodels.backend;

import java.util.Arrays;
import java.util.Locale;

/** Which ND4J backend the user asked for: the CPU, a CUDA GPU, or the best that works here. */
public enum BackendChoice {
    /** nd4j-native on the CPU. */
    CPU,
    /** nd4j-cuda on an NVIDIA GPU; an error when the CUDA build or a usable GPU is missing. */
    CUDA,
    /** CUDA when the CUDA build is present and a GPU is usable, else the CPU with one line saying so. */
    AUTO;

    /**
     * Parses {@code cpu}, {@code cuda} or {@code auto} (any case).
     *
     * @param source where the text came from, for the error message (e.g. {@code "--backend"})
     */
    public static BackendChoice parse(String text, String source) {
        for (BackendChoice c : values()) {
            if (c.name().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException(source + " must be one of " + Arrays.stream(values())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + text + "'");
    }

    /** Lower-case name as users write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
