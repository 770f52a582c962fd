package io.micromodels.frozen.server;

/**
 * Settings of a {@link FrozenServer}. Immutable; the constructor validates every field.
 *
 * @param port             TCP port on the loopback interface, in [0, 65535]; 0 picks a free port
 * @param maxBodyBytes     largest accepted request body in bytes, in [1, 64 MiB]; larger bodies get HTTP 413
 * @param threads          request-handling threads (a bounded pool), in [1, 256]; slow clients do not hold them:
 *                         headers and bodies are read without a thread
 * @param maxConnections   open connections at most, in [1, 100000]; beyond it new connections wait in the kernel's
 *                         accept queue until one closes
 * @param idleTimeoutMillis a connection on which nothing arrives for this long is closed, in [100, 3600000] ms
 * @param requestTimeoutMillis a request whose line, headers and body have not all arrived this long after its first
 *                         byte is closed (slow-loris defence; the idle timeout alone lets a client that sends a byte
 *                         every few seconds hold a connection forever), in [100, 3600000] ms
 */
public record ServerOptions(int port, int maxBodyBytes, int threads, int maxConnections, int idleTimeoutMillis,
                            int requestTimeoutMillis) {
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
    /** Default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** Upper bound of {@code maxConnections}. */
    public static final int MAX_CONNECTIONS_LIMIT = 100_000;
    /** Default idle timeout, 30 s. */
    public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 30_000;
    /** Default request timeout, 5 s: a request on the loopback interface arrives in well under a millisecond. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 5_000;
    /** Upper bound of both timeouts, one hour. */
    public static final int MAX_TIMEOUT_MILLIS = 3_600_000;

    /** Validates the ranges; messages name the field, the range and the value. */
    public ServerOptions {
        check("port", port, 0, 65535);
        check("maxBodyBytes", maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
        check("threads", threads, 1, MAX_THREADS);
        check("maxConnections", maxConnections, 1, MAX_CONNECTIONS_LIMIT);
        check("idleTimeoutMillis", idleTimeoutMillis, 100, MAX_TIMEOUT_MILLIS);
        check("requestTimeoutMillis", requestTimeoutMillis, 100, MAX_TIMEOUT_MILLIS);
    }

    /** Port {@value #DEFAULT_PORT}, 1 MiB bodies, {@value #DEFAULT_THREADS} threads, 1024 connections, 30 s idle, 5 s per request. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_THREADS, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_REQUEST_TIMEOUT_MILLIS);
    }

    /** A copy with another port. */
    public ServerOptions withPort(int port) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    /** A copy with another body limit. */
    public ServerOptions withMaxBodyBytes(int maxBodyBytes) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    /** A copy with another thread count. */
    public ServerOptions withThreads(int threads) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    /** A copy with another connection limit. */
    public ServerOptions withMaxConnections(int maxConnections) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    /** A copy with another idle timeout. */
    public ServerOptions withIdleTimeoutMillis(int idleTimeoutMillis) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    /** A copy with another request timeout. */
    public ServerOptions withRequestTimeoutMillis(int requestTimeoutMillis) {
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
