package io.micromodels.frozen.server;

import io.micromodels.frozen.Activation;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.frozen.IdentityPipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static FrozenMicromodel model;
    private static FrozenServer server;

    @BeforeAll
    static void start() throws IOException {
        model = sigmoidBinary(); // columns x0, x1; p(yes) = sigmoid(x0 - x1)
        server = FrozenServer.start(model, ServerOptions.defaults().withPort(0).withThreads(3));
    }

    /** Columns x0, x1; one sigmoid output, p(yes) = sigmoid(x0 - x1). */
    static FrozenMicromodel sigmoidBinary() {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}, {-1}}, new double[] {0}, Activation.SIGMOID));
        return FrozenMicromodel.of(IdentityPipeline.of("x0", "x1"), net, FrozenMetadata.binary("y", "no", "yes"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(String body, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/predict", body);
        assertEquals(expectedStatus, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(r.body());
    }

    @Test
    void bindsLoopbackOnAChosenPort() {
        assertTrue(server.port() > 0);
        assertEquals("127.0.0.1", server.uri().getHost());
    }

    @Test
    void predictsOneObject() throws Exception {
        JsonNode r = post("{\"x0\": 2.75, \"x1\": \"2\"}", 200);
        assertEquals("yes", r.get("label").asText());
        assertEquals(0.679178699175393, r.get("probabilities").get("yes").asDouble(), 1e-15);
        assertEquals(1 - 0.679178699175393, r.get("probabilities").get("no").asDouble(), 1e-15);
        assertEquals(2, r.size());
    }

    @Test
    void predictsAnArrayInOrder() throws Exception {
        JsonNode r = post("[{\"x0\": 2.75, \"x1\": 2}, {\"x1\": 3, \"x0\": -1e0}, {\"x0\": \"0.5\", \"x1\": 0.5}]", 200);
        assertTrue(r.isArray());
        assertEquals(3, r.size());
        assertEquals("yes", r.get(0).get("label").asText());
        assertEquals("no", r.get(1).get("label").asText());
        assertEquals(1 / (1 + Math.exp(4)), r.get(1).get("probabilities").get("yes").asDouble(), 1e-15);
        assertEquals(0.5, r.get(2).get("probabilities").get("yes").asDouble(), 0.0);
        assertEquals(0, post("[]", 200).size());
    }

    @Test
    void regressionRepliesWithValue() throws Exception {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{2}, {3}}, new double[] {1}, Activation.IDENTITY));
        FrozenMicromodel reg = FrozenMicromodel.of(IdentityPipeline.of("a", "b"), net, FrozenMetadata.regression("price", 10, -5));
        try (FrozenServer s = FrozenServer.start(reg, ServerOptions.defaults().withPort(0).withThreads(1))) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\": 1, \"b\": 2}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(85.0, JSON.readTree(r.body()).get("value").asDouble(), 0.0);
            HttpResponse<String> h = CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("REGRESSION", JSON.readTree(h.body()).get("task").asText());
        }
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> r = send("GET", "/health", null);
        assertEquals(200, r.statusCode());
        JsonNode h = JSON.readTree(r.body());
        assertEquals("ok", h.get("status").asText());
        assertEquals("BINARY", h.get("task").asText());
        assertEquals("y", h.get("target").asText());
        assertEquals("[\"x0\",\"x1\"]", h.get("columns").toString());
        assertEquals("[\"no\",\"yes\"]", h.get("classLabels").toString());
        assertEquals("2-1", h.get("network").asText());
        assertEquals(3, h.get("parameters").asInt());
        assertEquals("identity", h.get("pipeline").asText());
    }

    private static void assertError(JsonNode r, String messagePart, String field, Integer row) {
        assertTrue(r.get("error").asText().contains(messagePart), "expected «" + messagePart + "» in " + r);
        if (field == null) assertFalse(r.has("field"), r.toString());
        else assertEquals(field, r.get("field").asText(), r.toString());
        if (row == null) assertFalse(r.has("row"), r.toString());
        else assertEquals(row.intValue(), r.get("row").asInt(), r.toString());
    }

    @Test
    void badRequestsName400FieldAndRow() throws Exception {
        assertError(post("{\"x0\": 1, \"x1\": ", 400), "malformed JSON", null, null);
        assertError(post("{\"x0\": 1 \"x1\": 2}", 400), "malformed JSON", null, null);
        assertError(post("", 400), "empty body", null, null);
        assertError(post("42", 400), "got a number", null, null);
        assertError(post("{\"x0\": 1, \"x1\": 2} {}", 400), "after the JSON value", null, null);
        assertError(post("{\"x0\": 1}", 400), "missing field 'x1'", "x1", null);
        assertError(post("{}", 400), "missing field 'x0' (and 1 more: [x1])", "x0", null);
        assertError(post("{\"x0\": 1, \"x1\": {\"v\": 2}}", 400), "field 'x1' must be a string, number, boolean or null, got an object", "x1", null);
        assertError(post("{\"x0\": [1], \"x1\": 2}", 400), "field 'x0'", "x0", null);
        assertError(post("{\"x0\": 1, \"x0\": 2, \"x1\": 2}", 400), "Duplicate field 'x0'", null, null);
        assertError(post("{\"x0\": \"abc\", \"x1\": 2}", 400), "column 'x0': value 'abc' is not a number", "x0", null);
        assertError(post("{\"x0\": null, \"x1\": 2}", 400), "column 'x0': missing value", "x0", null);
        assertError(post("{\"x0\": true, \"x1\": 2}", 400), "value 'true'", "x0", null);
        // arrays: the row index is given, in the message and as "row"
        assertError(post("[{\"x0\": 1, \"x1\": 2}, {\"x0\": 1, \"x1\": 2}, {\"x0\": 1}]", 400), "row 2: missing field 'x1'", "x1", 2);
        assertError(post("[{\"x0\": 1, \"x1\": 2}, {\"x0\": 1, \"x1\": {}}]", 400), "row 1: field 'x1'", "x1", 1);
        assertError(post("[{\"x0\": 1, \"x1\": 2}, 7]", 400), "row 1: expected a JSON object", null, 1);
        assertError(post("[{\"x0\": 1, \"x1\": \"1,5\"}]", 400), "row 0: column 'x1': value '1,5'", "x1", 0);
    }

    @Test
    void unknownPathIs404() throws Exception {
        for (String path : new String[] {"/", "/predictions", "/predict/x", "/healthz"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertEquals(404, r.statusCode(), path);
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains("no such path"), r.body());
        }
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = send("GET", "/predict", null);
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("method GET is not allowed on /predict"), r.body());
        for (String m : new String[] {"PUT", "DELETE"}) assertEquals(405, send(m, "/predict", "{}").statusCode(), m);
        r = send("POST", "/health", "{}");
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        try (FrozenServer small = FrozenServer.start(model, ServerOptions.defaults().withPort(0).withMaxBodyBytes(100).withThreads(1))) {
            String ok = "[" + "{\"x0\": 1, \"x1\": 2},".repeat(4) + "{\"x0\": 1, \"x1\": 2}]"; // 99 bytes
            assertTrue(ok.length() <= 100, "" + ok.length());
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(small.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(ok)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            String big = "[" + "{\"x0\": 1, \"x1\": 2},".repeat(5) + "{\"x0\": 1, \"x1\": 2}]";
            r = CLIENT.send(HttpRequest.newBuilder(small.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains("limit of 100 bytes"), r.body());
            // Without a Content-Length (chunked upload): the limit is enforced while reading.
            r = CLIENT.send(HttpRequest.newBuilder(small.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
        }
        // Default limit, 1 MiB: one byte over is refused, and the server still answers afterwards.
        String row = "{\"x0\": 1, \"x1\": 2}";
        String atLimit = row + " ".repeat(ServerOptions.DEFAULT_MAX_BODY_BYTES - row.length());
        assertEquals(ServerOptions.DEFAULT_MAX_BODY_BYTES, atLimit.length());
        HttpResponse<String> r = send("POST", "/predict", atLimit + " ");
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(200, send("POST", "/predict", atLimit).statusCode());
        r = send("POST", "/predict", atLimit + " ".repeat(3 << 20)); // 4 MiB: refused without reading it all
        assertEquals(413, r.statusCode(), r.body());
    }

    @Test
    void concurrentClientsGetIdenticalAnswers() throws Exception {
        String body = "[{\"x0\": 0.3, \"x1\": -0.2}, {\"x0\": 5, \"x1\": 1}]";
        String expected = send("POST", "/predict", body).body();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) answers.add(pool.submit(() -> send("POST", "/predict", body).body()));
            for (Future<String> f : answers) assertEquals(expected, f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void optionsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withPort(70000));
        assertEquals("port must be in [0, 65535], got 70000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withMaxBodyBytes(0));
        assertEquals("maxBodyBytes must be in [1, 67108864], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withThreads(257));
        assertEquals("threads must be in [1, 256], got 257", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withPort(-1));
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withMaxConnections(0));
        assertEquals("maxConnections must be in [1, 100000], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withIdleTimeoutMillis(99));
        assertEquals("idleTimeoutMillis must be in [100, 3600000], got 99", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withRequestTimeoutMillis(3_600_001));
        assertEquals("requestTimeoutMillis must be in [100, 3600000], got 3600001", e.getMessage());
        assertEquals(new ServerOptions(8080, 1 << 20, 4, 1024, 30_000, 5_000), ServerOptions.defaults());
    }

    @Test
    void uriIsUsable() {
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/health"), server.uri().resolve("/health"));
    }

    /** 40 sequential requests on one keep-alive connection, raw socket, each written at once, are all answered. */
    @Test
    void keepAliveRequestsDoNotStallOnNagle() throws Exception {
        byte[] body = "{\"x0\": 1, \"x1\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] request = ("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n" + new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(server.uri().getHost(), server.port())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            int n = 40;
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                assertTrue(m.find(), head);
                byte[] reply = in.readNBytes(Integer.parseInt(m.group(1)));
                assertTrue(new String(reply, java.nio.charset.StandardCharsets.UTF_8).contains("\"label\""));
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            java.util.Arrays.sort(micros);
            long median = micros[n / 2];
            // the latency itself is a benchmark figure (gpu-bench), never a unit-test assertion
            System.out.println("keep-alive median " + median + " us over " + n + " requests on one connection");
        }
    }

    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed after: " + sb);
            sb.append((char) c);
        }
        return sb.toString();
    }
}
