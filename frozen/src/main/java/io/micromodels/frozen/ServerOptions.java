package io.micromodels.frozen;

/**
 * Settings of a {@link FrozenServer}. Immutable; the constructor validates every field.
 *
 * @param port         TCP port on the loopback interface, in [0, 65535]; 0 picks a free port
 * @param maxBodyBytes largest accepted request body in bytes, in [1, 64 MiB]; larger bodies get HTTP 413
 * @param threads      request-handling threads (a fixed pool), in [1, 256]
 */
public record ServerOptions(int port, int maxBodyBytes, int threads) {
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Default body limit, 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Upper bound of {@code maxBodyBytes}, 64 MiB. */
    public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;
    /** Default number of threads. */
    public static final int DEFAULT_THREADS = 4;
    /** Upper bound of {@code threads}. */
    public static final int MAX_THREADS = 256;

    /** Validates the ranges; messages name the field, the range and the value. */
    public ServerOptions {
        check("port", port, 0, 65535);
        check("maxBodyBytes", maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
        check("threads", threads, 1, MAX_THREADS);
    }

    /** Port {@value #DEFAULT_PORT}, 1 MiB bodies, {@value #DEFAULT_THREADS} threads. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_THREADS);
    }

    /** A copy with another port. */
    public ServerOptions withPort(int port) {
        return new ServerOptions(port, maxBodyBytes, threads);
    }

    /** A copy with another body limit. */
    public ServerOptions withMaxBodyBytes(int maxBodyBytes) {
        return new ServerOptions(port, maxBodyBytes, threads);
    }

    /** A copy with another thread count. */
    public ServerOptions withThreads(int threads) {
        return new ServerOptions(port, maxBodyBytes, threads);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
