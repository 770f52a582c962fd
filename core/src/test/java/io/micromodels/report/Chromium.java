package io.micromodels.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * A headless Chromium driven through the DevTools protocol over a WebSocket (no Selenium): one page, JavaScript
 * evaluation, console errors and uncaught exceptions collected, screenshots. Tests skip when Chromium is absent
 * unless {@code MICROMODELS_REQUIRE_BROWSER=1} (set by {@code .ci/run}), which makes them fail instead.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private String session;

    /** The browser binary: $MICROMODELS_CHROMIUM, else Debian's. */
    static Path binary() {
        String env = System.getenv("MICROMODELS_CHROMIUM");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    /** Starts Chromium, or skips the test (fails it when a browser is required). */
    static Chromium startOrSkip() throws Exception {
        if (!Files.isExecutable(binary())) {
            if ("1".equals(System.getenv("MICROMODELS_REQUIRE_BROWSER"))) {
                throw new AssertionError("MICROMODELS_REQUIRE_BROWSER=1 but there is no Chromium at " + binary()
                        + " (apt-get install chromium)");
            }
            Assumptions.abort("no Chromium at " + binary() + "; install it (apt-get install chromium) to run the browser tests");
        }
        return new Chromium();
    }

    private Chromium() throws Exception {
        profile = Files.createTempDirectory("mm-chromium");
        process = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(profile.resolve("chromium.log")) ? Files.readString(profile.resolve("chromium.log")) : "";
                close();
                throw new IllegalStateException("Chromium did not start: " + log);
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(portFile);
        URI ws = URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new Listener()).get(30, TimeUnit.SECONDS);
        String target = call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank")).path("targetId").asText();
        session = call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        call("Runtime.enable", null);
        call("Log.enable", null);
        call("Page.enable", null);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        event(m.path("method").asText(), m.path("params"));
                    }
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void event(String method, JsonNode p) {
        switch (method) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").toString());
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args").toString());
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    private JsonNode call(String sessionId, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            m.set("params", params);
        }
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(m.toString(), true).get(30, TimeUnit.SECONDS);
        JsonNode r = f.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    /** A DevTools command in the page's session. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        return call(session, method, params);
    }

    /** Sets the window size (CSS pixels); {@code mobile} emulates a phone. */
    void viewport(int width, int height, boolean mobile) throws Exception {
        call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", mobile));
    }

    /** Opens {@code url} (forgetting earlier pages' errors) and waits until the page's script has set {@code body[data-ready]}. */
    void open(String url) throws Exception {
        // Leave the previous page first (a dashboard keeps polling its server, which its test has closed): its last
        // errors arrive on the socket before the answer that about:blank is loaded, and are then forgotten.
        call("Page.navigate", JSON.createObjectNode().put("url", "about:blank"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!eval("location.href === 'about:blank' && document.readyState === 'complete'").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("about:blank never loaded before " + url);
            }
            Thread.sleep(20);
        }
        errors.clear();
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        while (!eval("document.readyState === 'complete' && document.body && document.body.getAttribute('data-ready') === '1'")
                .asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page " + url + " never became ready; errors: " + errors);
            }
            Thread.sleep(50);
        }
    }

    /** Evaluates a JavaScript expression (promises awaited) and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** The page's console errors and uncaught exceptions so far. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** A PNG of the whole page (the full document height at the current width). */
    byte[] screenshot() throws Exception {
        String data = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true)).path("data").asText();
        return Base64.getDecoder().decode(data);
    }

    /** Share of pixels that are not the page background (white) in a PNG, and its number of distinct colours. */
    static double[] inked(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        long ink = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        return new double[] {ink / (double) ((long) img.getWidth() * img.getHeight()), colours.size(), img.getWidth(), img.getHeight()};
    }

    @Override
    public void close() throws Exception {
        try {
            if (socket != null) {
                try {
                    call(null, "Browser.close", null);
                } catch (Exception ignored) {
                    // already gone
                }
                socket.abort();
            }
        } finally {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
