package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.server.FrozenServer;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code micromodels serve}: starts in-process on port 0 and answers {@code /health} and {@code /predict} (the printed
 * example curl body included, bad requests get 400 naming the field); bad {@code --model} values are one-line
 * errors; and a real child JVM serving with {@code --verbose} never loads ND4J and shuts down cleanly on SIGTERM.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    static Path zip;

    @BeforeAll
    static void saveAModel() {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        var spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(2).patience(0).build();
        try (TrainedModel model = TrainedModel.train(data, spec, "german_credit")) {
            zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, false);
        }
    }

    /** Parses a serve command line as Main would and returns the command object (not yet run). */
    private static ServeCommand parse(String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.ParseResult r = cli.parseArgs(args);
        return (ServeCommand) r.subcommand().commandSpec().userObject();
    }

    private static HttpResponse<String> post(URI base, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/predict")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String exampleBody(String printed) {
        Matcher m = Pattern.compile("-d '(.*)'$", Pattern.MULTILINE).matcher(printed);
        assertTrue(m.find(), printed);
        return m.group(1).replace("'\\''", "'");
    }

    @Test
    void servesOnPortZeroAndAnswersHealthPredictAndBadRequests() throws Exception {
        ServeCommand cmd = parse("serve", "--model", zip.toString(), "--port", "0", "--threads", "2", "--max-body-bytes", "4096");
        StringWriter printed = new StringWriter();
        try (FrozenServer server = cmd.start(new PrintWriter(printed, true))) {
            String text = printed.toString();
            Matcher url = URL.matcher(text);
            assertTrue(url.find(), text);
            URI base = URI.create(url.group(1) + "/");
            assertEquals(server.port(), base.getPort());
            assertTrue(server.port() > 0);
            assertEquals(2, server.options().threads());
            FrozenMicromodel frozen = FrozenMicromodel.load(zip);
            assertTrue(text.contains("columns (" + frozen.columns().size() + "):"), text);
            for (String c : frozen.columns()) {
                assertTrue(text.contains("  " + c + " "), "column " + c + " listed:\n" + text);
            }
            assertTrue(text.contains("curl -s -X POST " + url.group(1) + "/predict"), text);

            HttpResponse<String> health = get(base, "/health");
            assertEquals(200, health.statusCode(), health.body());
            JsonNode h = JSON.readTree(health.body());
            assertEquals("ok", h.get("status").asText());
            assertEquals("BINARY", h.get("task").asText(), "german credit is a two-class problem: " + health.body());
            assertEquals(frozen.columns().size(), h.get("columns").size());

            // The printed example is a valid request, and its answer matches the frozen model in memory.
            String example = exampleBody(text);
            HttpResponse<String> ok = post(base, example);
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode answer = JSON.readTree(ok.body());
            assertTrue(answer.has("label") && answer.has("probabilities"), ok.body());
            ObjectNode row = (ObjectNode) JSON.readTree(example);
            String[] raw = new String[frozen.columns().size()];
            for (int i = 0; i < raw.length; i++) {
                JsonNode v = row.get(frozen.columns().get(i));
                raw[i] = v.isNull() ? null : v.asText();
            }
            assertEquals(frozen.predict(raw).label(), answer.get("label").asText());

            // An array of rows answers an array.
            HttpResponse<String> two = post(base, "[" + example + "," + example + "]");
            assertEquals(200, two.statusCode(), two.body());
            assertEquals(2, JSON.readTree(two.body()).size());

            String firstColumn = frozen.columns().get(0);
            String numeric = "duration";
            // malformed JSON
            assertBadRequest(post(base, "{\"duration\": 12,"), null, "malformed JSON");
            // missing field
            ObjectNode missing = row.deepCopy();
            missing.remove(firstColumn);
            assertBadRequest(post(base, missing.toString()), firstColumn, "missing field");
            // extra field: ignored and named, as predict ignores a column the model does not read; same answer
            ObjectNode extra = row.deepCopy();
            extra.put("bogus", 1);
            HttpResponse<String> extraReply = post(base, extra.toString());
            assertEquals(200, extraReply.statusCode(), extraReply.body());
            JsonNode extraAnswer = JSON.readTree(extraReply.body());
            assertEquals(answer.get("probabilities"), extraAnswer.get("probabilities"));
            assertEquals("bogus", extraAnswer.get("warnings").get(0).get("field").asText(), extraReply.body());
            assertFalse(answer.has("warnings"), "the printed example has nothing to warn about: " + ok.body());
            // an unseen category: scored (as predict scores it) and named with its value
            ObjectNode unseen = row.deepCopy();
            unseen.put("purpose", "spaceship");
            HttpResponse<String> unseenReply = post(base, unseen.toString());
            assertEquals(200, unseenReply.statusCode(), unseenReply.body());
            JsonNode warning = JSON.readTree(unseenReply.body()).get("warnings").get(0);
            assertEquals("purpose", warning.get("field").asText(), unseenReply.body());
            assertEquals("spaceship", warning.get("value").asText(), unseenReply.body());
            // NaN and 1e308 in a request: one line naming the field
            assertBadRequest(post(base, row.deepCopy().put(numeric, 1e308).toString()), numeric, "outside the float range");
            HttpResponse<String> nan = post(base, row.toString().replaceFirst("\"duration\":[^,}]*", "\"duration\":NaN"));
            assertBadRequest(nan, numeric, "field 'duration': not a JSON value");
            assertFalse(nan.body().contains("enable"), nan.body());
            // wrong JSON type (an object where a cell belongs)
            ObjectNode object = row.deepCopy();
            object.putObject(numeric).put("x", 1);
            assertBadRequest(post(base, object.toString()), numeric, "must be a string, number, boolean or null");
            // a string that is not a number in a numeric column
            ObjectNode text2 = row.deepCopy();
            text2.put(numeric, "twelve");
            assertBadRequest(post(base, text2.toString()), numeric, "twelve");
            // too large, wrong method, unknown path
            assertEquals(413, post(base, "[" + (example + ",").repeat(100) + example + "]").statusCode());
            assertEquals(405, get(base, "/predict").statusCode());
            assertEquals(404, get(base, "/nope").statusCode());
        }
    }

    /** Ctrl-C: SIGINT to the child (Process.destroy would also close our end of its output). */
    private static void interrupt(Process p) throws Exception {
        if (sigintIgnored()) {
            // Started from a background shell job (e.g. `nohup .ci/run &`), this JVM and its children inherit SIGINT
            // as ignored and the JVM installs no handler for it: a Ctrl-C cannot reach them. SIGTERM runs the same
            // shutdown hooks.
            System.out.println("serve child: SIGINT is ignored in this process tree (a background job); stopping with SIGTERM");
            p.toHandle().destroy();
            return;
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            p.toHandle().destroy(); // SIGTERM, which runs the same shutdown hooks
        }
    }

    /** Whether this process ignores SIGINT (bit 2 of {@code SigIgn} in {@code /proc/self/status}); false elsewhere. */
    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2L) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static void assertBadRequest(HttpResponse<String> r, String field, String messagePart) throws IOException {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertTrue(e.get("error").asText().contains(messagePart), r.body());
        if (field == null) {
            assertFalse(e.has("field"), r.body());
        } else {
            assertEquals(field, e.get("field").asText(), r.body());
        }
    }

    @Test
    void badModelIsAOneLineError() throws IOException {
        Path notZip = Files.writeString(dir.resolve("notes.zip"), "just text");
        Path noFrozen = dir.resolve("old.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noFrozen))) {
            z.putNextEntry(new ZipEntry("spec.json"));
            z.write("{}".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        String[][] cases = {
            {dir.resolve("absent.zip").toString(), "does not exist"},
            {notZip.toString(), "is not a readable zip"},
            {noFrozen.toString(), "has no entry 'frozen.json'"},
            {dir.toString(), "is a folder; give the model zip, e.g. --model " + zip},
        };
        for (String[] c : cases) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new String[] {"serve", "--model", c[0], "--port", "0"}, new PrintWriter(out, true),
                    new PrintWriter(err, true));
            assertEquals(2, code, err.toString());
            String e = err.toString().strip();
            assertTrue(e.startsWith("error: ") && e.contains(c[1]), e);
            assertEquals(1, e.lines().count(), e);
            assertEquals("", out.toString());
        }
        StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new String[] {"serve", "--model", zip.toString(), "--port", "70000"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("--port must be in [0, 65535], got 70000"), err.toString());
    }

    /**
     * A real {@code micromodels serve --verbose} process: answers /health, loads no ND4J class and prints no ND4J
     * log line, and on SIGINT (Ctrl-C) closes the server through its shutdown hook.
     */
    @Test
    void childProcessStartsWithoutNd4jAndStopsCleanly() throws Exception {
        Path classLog = dir.resolve("classes.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                "io.micromodels.cli.Main", "serve", "--model", zip.toString(), "--port", "0", "--verbose");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        URI base = null;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                Matcher m = URL.matcher(line);
                if (m.find()) {
                    base = URI.create(m.group(1) + "/");
                }
                if (line.startsWith("serving until interrupted")) {
                    break;
                }
            }
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            assertNotNull(base, String.join("\n", lines));
            assertEquals(200, get(base, "/health").statusCode());
            System.out.printf("serve child JVM: ready in %.2f s (process start to 'serving until interrupted')%n", startSeconds);

            interrupt(p);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "server did not stop");
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } finally {
            p.destroyForcibly();
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("stopped serving " + base), all);
        assertFalse(all.toLowerCase(java.util.Locale.ROOT).contains("nd4j"), "an ND4J log line appeared:\n" + all);
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("io.micromodels.frozen.server.FrozenServer"), "class log works");
        assertFalse(loaded.contains("org.nd4j.linalg.factory.Nd4j "), "ND4J was loaded");
        assertFalse(loaded.contains("org.bytedeco."), "native libraries were loaded");
        assertFalse(loaded.contains("org.deeplearning4j."), "DL4J was loaded");
    }
}
