package io.micromodels.io;

import java.io.ObjectInputFilter;

/**
 * The JEP 290 allow-list for Java deserialisation: a second wall behind {@link ModelStore}, which reads models with
 * no Java deserialisation at all. Anything DL4J or another library still deserialises in this JVM (DL4J's
 * {@code ModelSerializer} reads a {@code network.zip}'s {@code preprocessor.bin} with an {@code ObjectInputStream})
 * may only hold ND4J normalisers, their statistics and arrays, boxed numbers and enums, with bounded depth,
 * references, array lengths and bytes; any other class (a {@code HashSet}, an {@code ArrayList}, a gadget) is
 * rejected from its class descriptor, before an instance exists.
 *
 * <pre>{@code
 * SerialFilter.installIfAbsent();                       // the CLI does this first thing
 * try (ObjectInputStream in = new ObjectInputStream(stream)) {
 *     in.setObjectInputFilter(SerialFilter.filter());   // or per stream
 * }
 * }</pre>
 */
public final class SerialFilter {
    /** The filter as a {@code jdk.serialFilter} pattern (usable with {@code -Djdk.serialFilter=...} too). */
    public static final String PATTERN = String.join(";",
            "maxdepth=12", "maxrefs=10000", "maxarray=16777216", "maxbytes=268435456",
            "org.nd4j.linalg.dataset.api.preprocessor.**",
            "org.nd4j.linalg.dataset.api.iterator.**",
            "org.nd4j.linalg.api.ndarray.*",
            "org.nd4j.linalg.cpu.nativecpu.*",
            "org.nd4j.linalg.api.buffer.*",
            "org.nd4j.linalg.api.shape.*",
            "java.lang.Enum", "java.lang.Number",
            "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
            "java.lang.Float", "java.lang.Double", "java.lang.Character", "java.lang.String",
            "!*");

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(PATTERN);

    private SerialFilter() {
    }

    /** The allow-list filter ({@link #PATTERN}). */
    public static ObjectInputFilter filter() {
        return FILTER;
    }

    /**
     * Makes {@link #filter()} the JVM-wide filter unless one is already set (by {@code -Djdk.serialFilter} or the
     * application), which is then kept.
     *
     * @return whether this call installed it
     */
    public static synchronized boolean installIfAbsent() {
        if (ObjectInputFilter.Config.getSerialFilter() != null) {
            return false;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(FILTER);
            return true;
        } catch (IllegalStateException alreadySet) {
            return false;
        }
    }
}
