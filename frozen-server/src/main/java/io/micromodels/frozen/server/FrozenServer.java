package io.micromodels.frozen.server;

import io.micromodels.frozen.FrozenMicromodel;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Serves a {@link FrozenMicromodel} over HTTP/1.1 on the loopback interface, on Jetty 12's core server (no
 * servlets): a bounded worker pool, a connection limit, idle and per-request timeouts, and limits on the request
 * line, headers and body, so that slow or hostile clients cannot starve the others.
 *
 * <h2>Endpoints</h2>
 * <ul>
 * <li>{@code POST /predict}: the body is one JSON object, or an array of objects, keyed by raw column name
 * ({@link FrozenMicromodel#columns()}); every column must be present and no other key; a value is a string, a
 * number, a boolean or {@code null} ({@code null} / {@code ""} = missing, left to the pipeline). The reply (200)
 * is one result object, or an array of them in request order:
 * classifiers {@code {"label": "yes", "probabilities": {"no": 0.31, "yes": 0.69}}}, single-output regression
 * {@code {"value": 152.3}}, multi-output regression {@code {"values": {"a": 1.0, "b": 2.0}}}. Every number in a 200
 * reply is finite (see {@link PredictEndpoint} for what is refused).</li>
 * <li>{@code GET /health}: {@code {"status": "ok", "task": ..., "target": ..., "columns": [...], "classLabels": [...],
 * "outputs": [...], "network": "10-32-32-2", "parameters": 1506, "pipeline": "identity"}}.</li>
 * </ul>
 * Every error is JSON, {@code {"error": message, "field": column (when one is to blame), "row": index (for arrays)}},
 * with status 400 (malformed JSON, missing / unknown / duplicate field, a value of the wrong type, a cell the
 * pipeline rejects, a number over 1,000 characters, a field name over {@link PredictEndpoint#maxNameChars()}
 * characters, a value too far outside the training range; also malformed HTTP), 404 (unknown path), 405 (wrong
 * method; {@code Allow} header set), 408 (body not received in time), 413 (body over
 * {@link ServerOptions#maxBodyBytes()}), 414 / 431 (request line or headers over {@value #MAX_HEADER_BYTES} bytes)
 * or 500.
 *
 * <h2>Slow clients</h2>
 * Jetty parses request lines and headers on its selector thread, and this server reads bodies asynchronously, so a
 * connection that sends slowly holds no worker thread: the {@link ServerOptions#threads()} workers only ever run
 * complete requests. A request (line, headers and body) must arrive within
 * {@link ServerOptions#requestTimeoutMillis()} of its first byte or its connection is closed
 * ({@link SlowRequestReaper}); a connection silent for {@link ServerOptions#idleTimeoutMillis()} is closed; at most
 * {@link ServerOptions#maxConnections()} are open at once.
 *
 * <pre>{@code
 * try (FrozenServer server = FrozenServer.start(model, ServerOptions.defaults().withPort(0))) {
 *     URI predict = server.uri().resolve("/predict");   // http://127.0.0.1:<port>/predict
 *     ...
 * }
 * }</pre>
 */
public final class FrozenServer implements AutoCloseable {
    /** Largest request line plus headers, in bytes (Jetty's default); beyond it 414 or 431. */
    public static final int MAX_HEADER_BYTES = 8192;
    /** Most bytes of an oversized body read (and discarded) before replying 413; beyond it the connection is closed. */
    static final long DRAIN_LIMIT = 64L << 20;
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final FrozenMicromodel model;
    private final ServerOptions options;
    private final PredictEndpoint endpoint;
    private final Server server;
    private final ServerConnector connector;
    private final SlowRequestReaper reaper;
    private volatile int boundPort = -1;

    private FrozenServer(FrozenMicromodel model, ServerOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.endpoint = new PredictEndpoint(model);

        // Workers: options.threads() for requests, plus Jetty's one acceptor and one selector. The job queue is not
        // capped itself (Jetty warns that rejected jobs can leak connections): it is bounded by the connection limit,
        // as each connection has at most a few jobs queued at a time.
        int maxThreads = options.threads() + 2;
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, maxThreads, 60_000, 0,
                new BlockingArrayQueue<>(256, 256), null);
        pool.setName("frozen-server");
        pool.setDaemon(true);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("frozen-server-timer", true);
        this.server = new Server(pool, scheduler, null);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeoutMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new Root());
        this.reaper = new SlowRequestReaper(connector, scheduler, options.requestTimeoutMillis());
    }

    /**
     * Starts serving {@code model} on the loopback interface; returns once the port is bound.
     *
     * @throws BindException when the port is in use
     * @throws IOException   when the server cannot start for another reason
     */
    public static FrozenServer start(FrozenMicromodel model, ServerOptions options) throws IOException {
        FrozenServer s = new FrozenServer(model, options);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException b) {
                    BindException be = new BindException("127.0.0.1:" + options.port() + ": " + b.getMessage());
                    be.initCause(e);
                    throw be;
                }
            }
            if (e instanceof IOException io) throw io;
            throw new IOException("cannot start the server: " + e, e);
        }
        s.boundPort = s.connector.getLocalPort();
        s.reaper.start();
        return s;
    }

    /** The bound port (the chosen one when the options asked for port 0); still known after {@link #close()}. */
    public int port() {
        return boundPort;
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port() + "/");
    }

    /** The options the server was started with. */
    public ServerOptions options() {
        return options;
    }

    /** Connections closed so far because their request did not arrive within the request timeout. */
    public long slowRequestsClosed() {
        return reaper.closedCount();
    }

    /** Currently open connections. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    /** Stops accepting, closes every connection and stops the threads. */
    @Override
    public void close() {
        reaper.stop();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the server: " + e, e);
        }
    }

    /**
     * Command line: {@code FrozenServer MODEL [--port N] [--threads N] [--max-body-bytes N] [--max-connections N]
     * [--idle-timeout-ms N] [--request-timeout-ms N]} where MODEL is a saved model zip (entry
     * {@value FrozenMicromodel#ZIP_ENTRY}) or a {@code .json} frozen model. Serves until killed.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args.length % 2 == 0) {
            System.err.println("usage: FrozenServer MODEL.zip|MODEL.json [--port N] [--threads N] [--max-body-bytes N]"
                    + " [--max-connections N] [--idle-timeout-ms N] [--request-timeout-ms N]");
            System.exit(2);
        }
        ServerOptions options = ServerOptions.defaults();
        for (int i = 1; i < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            options = switch (args[i]) {
                case "--port" -> options.withPort(v);
                case "--threads" -> options.withThreads(v);
                case "--max-body-bytes" -> options.withMaxBodyBytes(v);
                case "--max-connections" -> options.withMaxConnections(v);
                case "--idle-timeout-ms" -> options.withIdleTimeoutMillis(v);
                case "--request-timeout-ms" -> options.withRequestTimeoutMillis(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            };
        }
        FrozenMicromodel model = FrozenMicromodel.load(Path.of(args[0]));
        FrozenServer server = start(model, options);
        System.out.println("serving " + model + " on " + server.uri() + " (POST /predict, GET /health)");
        Thread.currentThread().join();
    }

    // ------------------------------------------------------------------ request handling

    private final class Root extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try {
                String path = request.getHttpURI().getPath();
                if (path == null) path = "";
                String method = request.getMethod();
                switch (path) {
                    case "/predict" -> {
                        if (!"POST".equals(method)) {
                            notAllowed(response, callback, method, path, "POST");
                        } else {
                            readBody(request, response, callback);
                        }
                    }
                    case "/health" -> {
                        if (!"GET".equals(method)) {
                            notAllowed(response, callback, method, path, "GET");
                        } else {
                            send(response, callback, 200, endpoint.healthBody(), false);
                        }
                    }
                    default -> send(response, callback, 404, PredictEndpoint.error("no such path '" + PredictEndpoint.clip(path)
                            + "'; use POST /predict or GET /health", null, -1), false);
                }
            } catch (RuntimeException e) {
                send(response, callback, 500, PredictEndpoint.error("internal error: " + e, null, -1), true);
            }
            return true;
        }
    }

    private static void notAllowed(Response response, Callback callback, String method, String path, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        send(response, callback, 405, PredictEndpoint.error("method " + PredictEndpoint.clip(method) + " is not allowed on "
                + path + "; use " + allowed, null, -1), false);
    }

    private void readBody(Request request, Response response, Callback callback) {
        int max = options.maxBodyBytes();
        long declared = request.getLength();
        new BodyReader(request, response, callback, max, declared > max).run();
    }

    /**
     * Reads a request body without blocking a thread: reads what has arrived, asks Jetty to call back when more
     * does. Keeps at most {@code max} bytes; past that it only counts (and discards) up to {@link #DRAIN_LIMIT}
     * bytes, so that the 413 reply reaches a client still sending (closing a socket with unread bytes resets it).
     */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final int max;
        private final ByteArrayOutputStream body;
        private boolean tooLarge;
        private long received;

        BodyReader(Request request, Response response, Callback callback, int max, boolean tooLarge) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.max = max;
            this.tooLarge = tooLarge;
            this.body = new ByteArrayOutputStream(tooLarge ? 0 : (int) Math.min(max, Math.max(request.getLength(), 256)));
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        Throwable failure = chunk.getFailure();
                        chunk.release();
                        send(response, callback, 408, PredictEndpoint.error("request body not received: " + failure, null, -1), true);
                        return;
                    }
                    boolean last = chunk.isLast();
                    ByteBuffer b = chunk.getByteBuffer();
                    int n = b.remaining();
                    received += n;
                    if (!tooLarge && body.size() + n > max) {
                        tooLarge = true;
                        body.reset();
                    }
                    if (!tooLarge && n > 0) {
                        byte[] bytes = new byte[n];
                        b.get(bytes);
                        body.write(bytes, 0, n);
                    }
                    chunk.release();
                    if (last || (tooLarge && received > DRAIN_LIMIT)) {
                        finish(last);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                send(response, callback, 500, PredictEndpoint.error("internal error: " + e, null, -1), true);
            }
        }

        private void finish(boolean complete) {
            if (tooLarge) {
                send(response, callback, 413, PredictEndpoint.error("request body exceeds the limit of " + max + " bytes",
                        null, -1), true);
                return;
            }
            PredictEndpoint.Reply reply = endpoint.predict(body.toByteArray());
            send(response, callback, reply.status(), reply.body(), !complete);
        }
    }

    private static void send(Response response, Callback callback, int status, byte[] body, boolean close) {
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        if (close) headers.put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Jetty's own errors (malformed HTTP, headers too large, ...) as JSON rather than HTML. */
    private static final class JsonErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer i ? i : response.getStatus();
            if (status < 400) status = 500;
            Object message = request.getAttribute(ERROR_MESSAGE);
            String text = message != null ? message.toString() : HttpStatus.getMessage(status);
            send(response, callback, status, PredictEndpoint.error("HTTP " + status + ": " + text, null, -1), false);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
            String text = reason != null ? reason : HttpStatus.getMessage(status);
            return ByteBuffer.wrap(PredictEndpoint.error("HTTP " + status + ": " + text, null, -1));
        }
    }

    @Override
    public String toString() {
        return "FrozenServer{" + uri() + ", " + model + "}";
    }
}
