package io.micromodels.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micromodels.files.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A live study dashboard: an HTTP server on the loopback address only (127.0.0.1) serving one page that fetches
 * {@code api/snapshot} ({@link StudySnapshot}) every second and redraws the optimisation history with the
 * best-so-far line, parallel coordinates, hyperparameter importance, slice plots and a sortable, filterable trial
 * table. The study may be running in another process: the folder is only read. {@link #writeStatic} writes the same
 * page with the snapshot inlined, as a file.
 *
 * <pre>{@code
 * try (StudyDashboard d = StudyDashboard.start(Path.of("runs/study"), 8050)) {
 *     System.out.println(d.uri());
 *     Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class StudyDashboard implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final Path dir;

    private StudyDashboard(HttpServer server, ExecutorService pool, Path dir) {
        this.server = server;
        this.pool = pool;
        this.dir = dir;
    }

    /**
     * Starts serving {@code dir}'s dashboard.
     *
     * @param port TCP port in [0, 65535] on 127.0.0.1; 0 picks a free one
     * @throws IllegalArgumentException when the port is out of range or the folder is not a study (checked first)
     */
    public static StudyDashboard start(Path dir, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        StudySnapshot.read(dir); // a folder that is not a study fails here, before a port is bound
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        StudyDashboard d = new StudyDashboard(server, pool, dir);
        server.createContext("/", d::handle);
        server.start();
        return d;
    }

    /** The page's address ({@code http://127.0.0.1:PORT/}). */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The page with a snapshot inlined; {@code live} pages poll {@code api/snapshot}. */
    static String page(Path dir, ObjectNode snapshot, boolean live) {
        snapshot.put("live", live);
        return Web.page("Study dashboard: " + snapshot.path("study").asText(), "metric " + snapshot.path("metric").asText()
                + " (" + (snapshot.path("higherIsBetter").asBoolean() ? "higher" : "lower") + " is better), study "
                + snapshot.path("id").asText() + (live ? "; updates every second" : "; snapshot of " + dir), snapshot.toString(),
                "dashboard.js");
    }

    /**
     * Writes the dashboard page of {@code dir} with its current trials as {@code out/report.html} (temporary file and
     * atomic rename).
     *
     * @throws IllegalArgumentException when the folder is not a study or has no finished trial (nothing is written)
     */
    public static Path writeStatic(Path dir, Path out, boolean overwrite) {
        ObjectNode s = StudySnapshot.read(dir);
        if (s.path("trials").isEmpty()) {
            throw new IllegalArgumentException("study " + dir + " has no finished trials (" + dir.resolve("trials.jsonl")
                    + (Files.exists(dir.resolve("trials.jsonl")) ? " is empty" : " is missing") + "); nothing to report");
        }
        String html = page(dir, s, false);
        Path file = out.resolve(ModelReport.FILE);
        AtomicFiles.writeUnchecked(file, overwrite, o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET")) {
                send(ex, 405, "text/plain", "only GET");
                return;
            }
            String body;
            int status = 200;
            String type;
            try {
                switch (path) {
                    case "/" -> {
                        body = page(dir, StudySnapshot.read(dir), true);
                        type = "text/html; charset=utf-8";
                    }
                    case "/api/snapshot" -> {
                        body = StudySnapshot.read(dir).toString();
                        type = "application/json";
                    }
                    default -> {
                        send(ex, 404, "text/plain", "not found: " + path);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                status = 500;
                type = "application/json";
                body = "{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(String.valueOf(e.getMessage())) + "}";
            }
            send(ex, status, type, body);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
