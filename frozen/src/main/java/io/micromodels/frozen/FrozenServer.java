package io.micromodels.frozen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link FrozenMicromodel} over HTTP on the loopback interface, with the JDK's built-in
 * {@code com.sun.net.httpserver} server and a fixed thread pool (no other dependencies).
 *
 * <h2>Endpoints</h2>
 * <ul>
 * <li>{@code POST /predict}: the body is one JSON object, or an array of objects, keyed by raw column name
 * ({@link FrozenMicromodel#columns()}); every column must be present and no other key; a value is a string, a
 * number, a boolean or {@code null} ({@code null} / {@code ""} = missing, left to the pipeline). The reply (200)
 * is one result object, or an array of them in request order:
 * classifiers {@code {"label": "yes", "probabilities": {"no": 0.31, "yes": 0.69}}}, single-output regression
 * {@code {"value": 152.3}}, multi-output regression {@code {"values": {"a": 1.0, "b": 2.0}}}.</li>
 * <li>{@code GET /health}: {@code {"status": "ok", "task": ..., "target": ..., "columns": [...], "classLabels": [...],
 * "outputs": [...], "network": "10-32-32-2", "parameters": 1506, "pipeline": "identity"}}.</li>
 * </ul>
 * Errors reply {@code {"error": message, "field": column (when one is to blame), "row": index (for arrays)}} with
 * status 400 (malformed JSON, missing / unknown / duplicate field, a value of the wrong type such as an object,
 * a cell the pipeline rejects), 404 (unknown path), 405 (wrong method; {@code Allow} header set), 413 (body over
 * {@link ServerOptions#maxBodyBytes()}) or 500.
 *
 * <pre>{@code
 * try (FrozenServer server = FrozenServer.start(model, ServerOptions.defaults().withPort(0))) {
 *     URI predict = server.uri().resolve("/predict");   // http://127.0.0.1:<port>/predict
 *     ...
 * }
 * }</pre>
 */
public final class FrozenServer implements AutoCloseable {
    /**
     * System property of the JDK server: set TCP_NODELAY on accepted connections. The JDK server writes a reply's
     * headers and body separately; without it, Nagle's algorithm holds the body until the client ACKs the headers,
     * and clients delay that ACK by up to 40 ms, so every keep-alive request took ~44 ms (measured with wrk: 175
     * requests/s on 8 connections, server CPU ~1% busy). The JDK reads it once, when its first server is created;
     * it is set here unless given on the command line.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY_PROPERTY) == null) System.setProperty(NODELAY_PROPERTY, "true");
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** Most bytes of an oversized body read (and discarded) before replying 413; beyond it the connection is dropped. */
    static final long DRAIN_LIMIT = 64L << 20;

    private final FrozenMicromodel model;
    private final ServerOptions options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final byte[] healthBody;

    private FrozenServer(FrozenMicromodel model, ServerOptions options) throws IOException {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        List<String> columns = model.columns();
        for (int i = 0; i < columns.size(); i++) columnIndex.put(columns.get(i), i);
        this.healthBody = health();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 0);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "frozen-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(options.threads(), factory);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving {@code model} on the loopback interface; returns once the port is bound. */
    public static FrozenServer start(FrozenMicromodel model, ServerOptions options) throws IOException {
        FrozenServer s = new FrozenServer(model, options);
        s.server.start();
        return s;
    }

    /** The bound port (the chosen one when the options asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/");
    }

    /** The options the server was started with. */
    public ServerOptions options() {
        return options;
    }

    /** Stops accepting requests, waits up to a second for running ones, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Command line: {@code FrozenServer MODEL [--port N] [--threads N] [--max-body-bytes N]} where MODEL is a saved
     * model zip (entry {@value FrozenMicromodel#ZIP_ENTRY}) or a {@code .json} frozen model. Serves until killed.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args.length % 2 == 0) {
            System.err.println("usage: FrozenServer MODEL.zip|MODEL.json [--port N] [--threads N] [--max-body-bytes N]");
            System.exit(2);
        }
        ServerOptions options = ServerOptions.defaults();
        for (int i = 1; i < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            options = switch (args[i]) {
                case "--port" -> options.withPort(v);
                case "--threads" -> options.withThreads(v);
                case "--max-body-bytes" -> options.withMaxBodyBytes(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            };
        }
        FrozenMicromodel model = FrozenMicromodel.load(Path.of(args[0]));
        FrozenServer server = start(model, options);
        System.out.println("serving " + model + " on " + server.uri() + " (POST /predict, GET /health)");
        Thread.currentThread().join();
    }

    // ------------------------------------------------------------------ request handling

    /** A request error reported to the client as JSON. */
    private static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;
        final int row;

        RequestException(int status, String message, String field, int row) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
            this.row = row;
        }
    }

    private static RequestException badRequest(String message, String field, int row) {
        return new RequestException(400, (row >= 0 ? "row " + row + ": " : "") + message, field, row);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/predict" -> {
                    requireMethod(exchange, method, "POST");
                    send(exchange, 200, predict(readBody(exchange)));
                }
                case "/health" -> {
                    requireMethod(exchange, method, "GET");
                    send(exchange, 200, healthBody);
                }
                default -> throw new RequestException(404, "no such path '" + path + "'; use POST /predict or GET /health", null, -1);
            }
        } catch (RequestException e) {
            send(exchange, e.status, error(e.getMessage(), e.field, e.row));
        } catch (RuntimeException e) {
            send(exchange, 500, error("internal error: " + e, null, -1));
        } finally {
            exchange.close();
        }
    }

    private static void requireMethod(HttpExchange exchange, String method, String allowed) throws RequestException {
        if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new RequestException(405, "method " + method + " is not allowed on " + exchange.getRequestURI().getPath()
                    + "; use " + allowed, null, -1);
        }
    }

    private byte[] readBody(HttpExchange exchange) throws IOException, RequestException {
        int max = options.maxBodyBytes();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new RequestException(400, "bad Content-Length '" + length + "'", null, -1);
            }
            if (declared > max) throw tooLarge(exchange, exchange.getRequestBody(), max);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buf = new byte[8192];
        InputStream in = exchange.getRequestBody();
        for (int r; (r = in.read(buf)) > 0; ) {
            if (body.size() + r > max) throw tooLarge(exchange, in, max);
            body.write(buf, 0, r);
        }
        return body.toByteArray();
    }

    /**
     * The 413 error. The rest of the body is read and discarded first (up to {@link #DRAIN_LIMIT} bytes, never kept):
     * closing a connection with unread request bytes makes TCP reset it, and the client would lose the 413 reply.
     */
    private static RequestException tooLarge(HttpExchange exchange, InputStream in, int max) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        byte[] buf = new byte[16384];
        long drained = 0;
        for (int r; drained < DRAIN_LIMIT && (r = in.read(buf)) > 0; ) drained += r;
        return new RequestException(413, "request body exceeds the limit of " + max + " bytes", null, -1);
    }

    private byte[] predict(byte[] body) throws IOException, RequestException {
        List<String[]> rows = new ArrayList<>();
        boolean array;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                array = false;
                rows.add(readRow(p, -1));
            } else if (t == JsonToken.START_ARRAY) {
                array = true;
                for (int r = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; r++) {
                    if (t != JsonToken.START_OBJECT) throw badRequest("expected a JSON object keyed by column name, got " + describe(t), null, r);
                    rows.add(readRow(p, r));
                }
            } else {
                throw badRequest(t == null ? "empty body; expected a JSON object or an array of objects keyed by column name"
                        : "expected a JSON object or an array of objects keyed by column name, got " + describe(t), null, -1);
            }
            if (p.nextToken() != null) throw badRequest("unexpected content after the JSON value" + at(p.currentLocation()), null, -1);
        } catch (JsonParseException e) {
            throw badRequest("malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), null, -1);
        }

        int n = rows.size();
        int width = model.inputWidth();
        double[] features = new double[n * width];
        double[] row = new double[width];
        for (int r = 0; r < n; r++) {
            try {
                model.pipeline().transform(rows.get(r), row);
            } catch (InvalidCellException e) {
                throw badRequest(e.getMessage(), e.column(), array ? r : -1);
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage(), null, array ? r : -1);
            }
            System.arraycopy(row, 0, features, r * width, width);
        }
        int outWidth = model.outputWidth();
        double[] out = new double[n * outWidth];
        model.predictFeaturesBatch(features, n, out);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + n * (32 + 24 * outWidth));
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            if (array) g.writeStartArray();
            for (int r = 0; r < n; r++) writeResult(g, out, r * outWidth);
            if (array) g.writeEndArray();
        }
        return bytes.toByteArray();
    }

    /** Reads one object (the parser is on its START_OBJECT) into cells in column order. */
    private String[] readRow(JsonParser p, int row) throws IOException, RequestException {
        List<String> columns = model.columns();
        String[] cells = new String[columns.size()];
        boolean[] seen = new boolean[cells.length];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            Integer i = columnIndex.get(name);
            if (i == null) {
                throw badRequest("unknown field '" + name + "'; the model's columns are " + columns, name, row);
            }
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> cells[i] = p.getText(); // numbers keep their exact text
                case VALUE_TRUE -> cells[i] = "true";
                case VALUE_FALSE -> cells[i] = "false";
                case VALUE_NULL -> cells[i] = null;
                default -> throw badRequest("field '" + name + "' must be a string, number, boolean or null, got " + describe(v), name, row);
            }
            seen[i] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) if (!seen[i]) missing.add(columns.get(i));
        if (!missing.isEmpty()) {
            String first = missing.get(0);
            throw badRequest("missing field '" + first + "'" + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more: "
                    + missing.subList(1, Math.min(missing.size(), 6)) + (missing.size() > 6 ? "..." : "") + ")" : "")
                    + "; send null for a missing value", first, row);
        }
        return cells;
    }

    private void writeResult(JsonGenerator g, double[] out, int off) throws IOException {
        FrozenMetadata md = model.metadata();
        g.writeStartObject();
        if (md.task().isClassification()) {
            List<String> labels = md.classLabels();
            g.writeStringField("label", labels.get(model.labelIndex(out, off)));
            g.writeObjectFieldStart("probabilities");
            for (int j = 0; j < labels.size(); j++) g.writeNumberField(labels.get(j), out[off + j]);
            g.writeEndObject();
        } else if (md.outputNames().size() == 1) {
            g.writeNumberField("value", out[off]);
        } else {
            g.writeObjectFieldStart("values");
            List<String> names = md.outputNames();
            for (int j = 0; j < names.size(); j++) g.writeNumberField(names.get(j), out[off + j]);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private byte[] health() throws IOException {
        FrozenMetadata md = model.metadata();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeStringField("task", md.task().name());
            g.writeStringField("target", md.target());
            writeStrings(g, "columns", model.columns());
            writeStrings(g, "classLabels", md.classLabels());
            writeStrings(g, "outputs", md.outputNames());
            g.writeStringField("network", model.network().shape());
            g.writeNumberField("parameters", model.network().parameterCount());
            String pipeline = FrozenPipelines.nameOf(model.pipeline().getClass());
            g.writeStringField("pipeline", pipeline != null ? pipeline : model.pipeline().getClass().getName());
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static byte[] error(String message, String field, int row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            if (field != null) g.writeStringField("field", field);
            if (row >= 0) g.writeNumberField("row", row);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    @Override
    public String toString() {
        return "FrozenServer{" + uri() + ", " + model + "}";
    }
}
