package io.micromodels.frozen.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micromodels.frozen.FrozenMicromodel;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, section 3: slow and hostile clients. Slow-loris connections (partial headers, headers dribbled a byte at
 * a time, bodies that never finish) neither hold the workers nor stay open past the request timeout; oversized
 * numbers, names, headers and URIs, and values that would overflow the network, get a status and a JSON error.
 * Timeouts here are generous upper bounds for "eventually" (the suite runs on loaded machines), never latency claims;
 * request timeouts of 2 s leave good requests (headers and body written back to back) far from being cut.
 */
class HostileClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final FrozenMicromodel MODEL = FrozenServerTest.sigmoidBinary();

    private static HttpResponse<String> post(FrozenServer s, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("/predict")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Socket open(FrozenServer s) throws IOException {
        Socket socket = new Socket(s.uri().getHost(), s.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Reads until the server closes the connection; returns what it sent (maybe nothing). Fails on the 30 s timeout. */
    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder sb = new StringBuilder();
        try {
            for (int c; (c = in.read()) >= 0; ) sb.append((char) c);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server never closed a slow connection; got so far: " + sb, e);
        } catch (SocketException e) {
            // reset by the server: closed too
        }
        return sb.toString();
    }

    @Test
    void partialHeadersNeitherStarveWorkersNorStayOpen() throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withThreads(2).withRequestTimeoutMillis(2000);
        try (FrozenServer s = FrozenServer.start(MODEL, options)) {
            List<Socket> slow = new ArrayList<>();
            try {
                // Ten times the workers: each sends a request line and part of a header, then nothing.
                for (int i = 0; i < 20; i++) {
                    Socket socket = open(s);
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(socket);
                }
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = post(s, "{\"x0\": 2.75, \"x1\": 2}");
                    assertEquals(200, r.statusCode(), r.body());
                }
                for (Socket socket : slow) readUntilClosed(socket);
                assertTrue(s.slowRequestsClosed() >= 20, "closed " + s.slowRequestsClosed());
            } finally {
                for (Socket socket : slow) socket.close();
            }
        }
    }

    @Test
    void headersDribbledAByteAtATimeAreCutOff() throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withThreads(1).withRequestTimeoutMillis(500)
                .withIdleTimeoutMillis(60_000);
        try (FrozenServer s = FrozenServer.start(MODEL, options); Socket socket = open(s)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean cut = false;
            // Never idle (a byte every 50 ms, far under the 60 s idle timeout) and never finished: only the request
            // timeout can end it. 30 s of dribbling is the generous bound for "eventually".
            for (int i = 0; i < 600 && !cut; i++) {
                try {
                    out.write('X');
                    out.flush();
                    Thread.sleep(50);
                } catch (IOException e) {
                    cut = true;
                }
                if (!cut && s.slowRequestsClosed() > 0) {
                    readUntilClosed(socket);
                    cut = true;
                }
            }
            assertTrue(cut, "the dribbling connection was never closed");
            assertEquals(1, s.slowRequestsClosed());
            assertEquals(200, CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void unfinishedBodiesDoNotHoldTheOnlyWorker() throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withThreads(1).withRequestTimeoutMillis(2000);
        try (FrozenServer s = FrozenServer.start(MODEL, options)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket socket = open(s);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"x0\": 1,").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(socket);
                }
                HttpResponse<String> r = post(s, "{\"x0\": 2.75, \"x1\": 2}");
                assertEquals(200, r.statusCode(), r.body());
                for (Socket socket : slow) {
                    String reply = readUntilClosed(socket);
                    assertTrue(reply.isEmpty() || reply.startsWith("HTTP/1.1 408"), reply);
                }
            } finally {
                for (Socket socket : slow) socket.close();
            }
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String messagePart, String field) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode e = JSON.readTree(r.body());
        assertTrue(e.get("error").asText().contains(messagePart), "expected «" + messagePart + "» in " + e);
        if (field == null) assertFalse(e.has("field"), e.toString());
        else assertEquals(field, e.get("field").asText(), e.toString());
    }

    @Test
    void hugeNumbersAndNamesGetJsonErrors() throws Exception {
        try (FrozenServer s = FrozenServer.start(MODEL, ServerOptions.defaults().withPort(0).withThreads(1))) {
            String digits1001 = "1".repeat(1001);
            assertError(post(s, "{\"x0\": " + digits1001 + ", \"x1\": 2}"), 400, "field 'x0': number longer than 1000", "x0");
            assertError(post(s, "[{\"x0\": 1, \"x1\": 2}, {\"x0\": 1, \"x1\": -" + digits1001 + "}]"), 400,
                    "row 1: field 'x1': number longer than 1000", "x1");
            // 1000 digits parse, but the value is outside the float range
            assertError(post(s, "{\"x0\": " + "9".repeat(1000) + ", \"x1\": 2}"), 400, "field 'x0': ", "x0");
            assertError(post(s, "{\"x0\": 1e400, \"x1\": 2}"), 400, "field 'x0': 1e400 is outside the float range", "x0");
            // a 1000-character number that is an ordinary value is scored
            assertEquals(200, post(s, "{\"x0\": 0." + "0".repeat(997) + "1, \"x1\": 2}").statusCode());

            String name = "n".repeat(50_000);
            assertError(post(s, "{\"" + name + "\": 1, \"x0\": 1, \"x1\": 2}"), 400, "field name is longer than 1024", null);
            assertError(post(s, "{\"" + "n".repeat(1025) + "\": 1}"), 400, "field name is longer than 1024", null);
            // deep nesting stops at the first token that is not a row object, without descending
            assertError(post(s, "[".repeat(100_000)), 400, "row 0: expected a JSON object keyed by column name, got an array", null);
            assertError(post(s, "[{\"x0\": " + "[".repeat(100_000)), 400, "field 'x0' must be a string, number, boolean or null", "x0");
            // still serving
            assertEquals(200, post(s, "{\"x0\": 2.75, \"x1\": 2}").statusCode());
        }
    }

    @Test
    void valuesThatWouldOverflowTheNetworkAreRefusedNamingTheField() throws Exception {
        try (FrozenServer s = FrozenServer.start(MODEL, ServerOptions.defaults().withPort(0).withThreads(1))) {
            // x0 - x1 = -2e308 overflows to -inf; the old server answered 200 with "NaN" probabilities
            assertError(post(s, "{\"x0\": -1e308, \"x1\": 1e308}"), 400, "field 'x0': -1e308 is outside the float range", "x0");
            assertError(post(s, "{\"x0\": 1, \"x1\": -1e308}"), 400, "field 'x1'", "x1");
            // a string is read by the column's parser: beyond the float range it is still refused, naming the column
            assertError(post(s, "{\"x0\": \"-1e308\", \"x1\": 1}"), 400, "column 'x0': value '-1e308' is too far outside", "x0");
            assertError(post(s, "{\"x0\": 1e13, \"x1\": 0}"), 400, "beyond the accepted +/-1.0E12", "x0");
            // the largest accepted magnitude is scored, with finite probabilities
            JsonNode r = JSON.readTree(post(s, "{\"x0\": 1e12, \"x1\": -1e12}").body());
            assertEquals(1.0, r.get("probabilities").get("yes").asDouble(), 0.0);
            assertEquals(0.0, r.get("probabilities").get("no").asDouble(), 0.0);
        }
    }

    @Test
    void oversizedHeadersUrisAndMalformedHttpGetJsonErrors() throws Exception {
        try (FrozenServer s = FrozenServer.start(MODEL, ServerOptions.defaults().withPort(0).withThreads(1))) {
            assertRaw(s, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n", 431);
            assertRaw(s, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414);
            assertRaw(s, "GARBAGE\r\n\r\n", 400);
            assertRaw(s, "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n", 400);
        }
    }

    /** Sends raw bytes; expects a reply with {@code status} and a JSON body with an "error". */
    private static void assertRaw(FrozenServer s, String request, int status) throws IOException {
        try (Socket socket = open(s)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) throw new AssertionError("closed without a reply; got: " + head);
                head.append((char) c);
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 " + status), head.toString());
            assertTrue(head.toString().toLowerCase().contains("content-type: application/json"), head.toString());
            Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            assertTrue(m.find(), head.toString());
            JsonNode e = JSON.readTree(in.readNBytes(Integer.parseInt(m.group(1))));
            assertTrue(e.get("error").asText().startsWith("HTTP " + status), e.toString());
        }
    }
}
