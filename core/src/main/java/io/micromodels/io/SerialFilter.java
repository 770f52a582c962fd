package io.micromodels.io;

import java.io.ObjectInputFilter;

/**
 * The JEP 290 allow-list for Java deserialisation: a second wall behind {@link ModelStore}, which reads models with
 * no Java deserialisation at all. Anything DL4J or another library still deserialises in this JVM (DL4J's
 * {@code ModelSerializer} reads a {@code network.zip}'s {@code preprocessor.bin} with an {@code ObjectInputStream})
 * may only hold ND4J normalisers, their statistics and arrays, boxed numbers and enums, with bounded depth,
 * references, array lengths and bytes; any other class (a {@code HashSet}, an {@code ArrayList}, a gadget) is
 * rejected from its class descriptor, before an instance exists. The one exception is Arbiter's in-process copy of
 * the candidate specs it proposes (bytes it wrote itself a moment before), which may hold the project's own classes,
 * and Spark's task and result streams ({@code tune --spark}: closures, tasks, trial results between the driver and its
 * executors), which are not filtered here: the Spark cluster is trusted as Spark trusts it (its own authentication,
 * {@code spark.authenticate}, guards who may talk to the driver).
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

    /**
     * What may be read back where a library copies objects this process serialised itself (Arbiter keeps each
     * candidate spec serialised and deserialises it on {@code Candidate.getValue()}): the project's own classes and
     * {@code java.util}/{@code java.lang} value classes, with bounded depth, references and bytes.
     */
    public static final String IN_PROCESS_PATTERN = String.join(";",
            "maxdepth=20", "maxrefs=100000", "maxbytes=16777216",
            "io.micromodels.**", "java.util.*", "java.lang.*", "!*");

    /** Classes whose object streams only copy objects made in this process, never read from a file or socket. */
    static final java.util.Set<String> IN_PROCESS_COPIERS =
            java.util.Set.of("org.deeplearning4j.arbiter.optimize.generator.util.SerializedSupplier");

    /** Spark's Java deserialisation of tasks, closures and task results (the spark module's trials): not filtered. */
    static final java.util.Set<String> SPARK_STREAMS = java.util.Set.of("org.apache.spark.serializer.JavaDeserializationStream");

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(PATTERN);
    private static final ObjectInputFilter IN_PROCESS = ObjectInputFilter.Config.createFilter(IN_PROCESS_PATTERN);
    private static final ObjectInputFilter JVM_WIDE = info -> switch (reader()) {
        case 1 -> IN_PROCESS.checkInput(info);
        case 2 -> ObjectInputFilter.Status.UNDECIDED; // Spark's own streams: as without a JVM-wide filter
        default -> FILTER.checkInput(info);
    };

    private SerialFilter() {
    }

    /**
     * Who reads the stream, from the call stack: 1 one of {@link #IN_PROCESS_COPIERS}, 2 one of {@link #SPARK_STREAMS},
     * 0 anything else.
     */
    private static int reader() {
        return StackWalker.getInstance().walk(frames -> frames.map(f -> IN_PROCESS_COPIERS.contains(f.getClassName()) ? 1
                : SPARK_STREAMS.contains(f.getClassName()) ? 2 : 0).filter(k -> k != 0).findFirst().orElse(0));
    }

    /** The allow-list filter ({@link #PATTERN}). */
    public static ObjectInputFilter filter() {
        return FILTER;
    }

    /**
     * Makes the JVM-wide filter {@link #filter()}, except inside Arbiter's in-process copies of candidates
     * ({@link #IN_PROCESS_PATTERN}), unless a JVM-wide filter is already set (by {@code -Djdk.serialFilter} or the
     * application), which is then kept.
     *
     * @return whether this call installed it
     */
    public static synchronized boolean installIfAbsent() {
        if (ObjectInputFilter.Config.getSerialFilter() != null) {
            return false;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(JVM_WIDE);
            return true;
        } catch (IllegalStateException alreadySet) {
            return false;
        }
    }
}
