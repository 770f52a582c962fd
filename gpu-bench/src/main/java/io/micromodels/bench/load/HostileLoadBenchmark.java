package io.micromodels.bench.load;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.io.Freezer;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load test of the frozen-model HTTP server (issue 11, section 3) under good and hostile clients at once, all on
 * 127.0.0.1: {@code clients} keep-alive connections each sending one German-credit row every {@code interval} ms
 * (open loop: latency counts from the intended send time, so a stalled server cannot hide its backlog), plus
 * {@code slowloris} connections that send a request line and then one header line every {@code slowInterval} ms,
 * never finishing (never idle, so only the server's request timeout ends them; they reconnect when cut off).
 *
 * <p>First {@code warmupRequests} requests go back to back on 4 connections (JIT warm-up, not measured); then all
 * clients start, and latencies are recorded after {@code warmup} seconds of ramp-up, for {@code duration} seconds.
 * The server runs in a child JVM ({@code FrozenServer.main}, heap capped with {@code -Xmx}) so its resident
 * memory, thread count and open descriptors can be read from {@code /proc} every 500 ms. Prints one {@code LOAD}
 * line (requests, rate, p50/p90/p99/p99.9/max latency from each request's write to its reply's last byte, as wrk
 * measures, and errors), a {@code LOAD_FROM_SCHEDULE} line (the same from the intended send time, which adds this
 * generator's own wake-up lag on a busy machine), one {@code SERVER} line (threads, RSS, descriptors:
 * idle before the load and the maximum during it; heap used at the end from {@code jcmd GC.heap_info}) and one
 * {@code SLOWLORIS} line; the last line is the verdict, {@code load: PASS|FAIL p99 X ms (target < 20 ms), N errors}.
 *
 * <pre>
 * java -cp ... io.micromodels.bench.load.HostileLoadBenchmark [--duration 30] [--warmup 5] [--warmup-requests 30000]
 *     [--clients 200] [--interval-ms 100] [--slowloris 50] [--slow-interval-ms 1000] [--threads 4] [--request-timeout-ms 5000]
 *     [--server-heap 256m] [--model frozen.json|model.zip] [--p99-target-ms 20]
 * </pre>
 */
public final class HostileLoadBenchmark {
    private HostileLoadBenchmark() {
    }

    /** One German credit applicant (the first row of the bundled data, target left out). */
    static final String BODY = "{\"checking_status\":\"<0\",\"duration\":6,\"credit_history\":\"critical/other existing credit\","
            + "\"purpose\":\"radio/tv\",\"credit_amount\":1169,\"savings_status\":\"no known savings\",\"employment\":\">=7\","
            + "\"installment_commitment\":4,\"personal_status\":\"male single\",\"other_parties\":\"none\",\"residence_since\":4,"
            + "\"property_magnitude\":\"real estate\",\"age\":67,\"other_payment_plans\":\"none\",\"housing\":\"own\","
            + "\"existing_credits\":2,\"job\":\"skilled\",\"num_dependents\":1,\"own_telephone\":\"yes\",\"foreign_worker\":\"yes\"}";

    /** Options; see the class comment. */
    public record Options(int durationS, int warmupS, int warmupRequests, int clients, int intervalMs, int slowloris,
                          int slowIntervalMs, int threads, int requestTimeoutMs, String serverHeap, Path model, double p99TargetMs) {
        public static Options parse(String[] args) {
            int duration = 30, warmup = 5, warmupRequests = 30_000, clients = 200, interval = 100, slow = 50, slowInterval = 1000;
            int threads = 4, timeout = 5000;
            String heap = "256m";
            Path model = null;
            double target = 20;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--duration" -> duration = positive(a, v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--warmup-requests" -> warmupRequests = Integer.parseInt(v);
                    case "--clients" -> clients = positive(a, v);
                    case "--interval-ms" -> interval = positive(a, v);
                    case "--slowloris" -> slow = Integer.parseInt(v);
                    case "--slow-interval-ms" -> slowInterval = positive(a, v);
                    case "--threads" -> threads = positive(a, v);
                    case "--request-timeout-ms" -> timeout = positive(a, v);
                    case "--server-heap" -> heap = v;
                    case "--model" -> model = Path.of(v);
                    case "--p99-target-ms" -> target = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(duration, warmup, warmupRequests, clients, interval, slow, slowInterval, threads, timeout, heap, model, target);
        }

        private static int positive(String flag, String v) {
            int n = Integer.parseInt(v);
            if (n < 1) throw new IllegalArgumentException(flag + " must be at least 1, got " + n);
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        boolean pass = run(Options.parse(args));
        if (!pass) System.exit(1);
    }

    /** Runs the test and prints the figures; returns whether p99 met the target with zero errors. */
    public static boolean run(Options o) throws Exception {
        Path dir = Files.createTempDirectory("hostile-load");
        Path model = o.model() != null ? o.model() : trainModel(dir);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xmx" + o.serverHeap(), "-Xms" + o.serverHeap(),
                "-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn", "-cp", System.getProperty("java.class.path"),
                "io.micromodels.frozen.server.FrozenServer", model.toString(), "--port", "0",
                "--threads", "" + o.threads(), "--request-timeout-ms", "" + o.requestTimeoutMs());
        System.out.println("server: " + String.join(" ", cmd.subList(1, 4)) + " ... FrozenServer " + model
                + " --threads " + o.threads() + " --request-timeout-ms " + o.requestTimeoutMs());
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            int port = awaitPort(server);
            long pid = server.pid();
            String host = "127.0.0.1";
            check(host, port);
            Sample idle = Sample.of(pid);
            warmUp(host, port, o.warmupRequests());
            System.out.printf(Locale.ROOT, "machine: %d cores (%s), load average %s; shared with other work, so timings are noisy%n",
                    Runtime.getRuntime().availableProcessors(), cpuModel(), loadAverage());
            System.out.printf(Locale.ROOT, "load: %d keep-alive clients, one request every %d ms each (%.0f requests/s offered),"
                            + " plus %d slow-loris connections (a header line every %d ms); %d s ramp-up, %d s measured%n",
                    o.clients(), o.intervalMs(), o.clients() * 1000.0 / o.intervalMs(), o.slowloris(), o.slowIntervalMs(),
                    o.warmupS(), o.durationS());

            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            long measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmupS());
            long end = measureFrom + TimeUnit.SECONDS.toNanos(o.durationS());
            List<GoodClient> good = new ArrayList<>();
            List<SlowClient> slow = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            SplittableRandom phases = new SplittableRandom(42);
            for (int i = 0; i < o.clients(); i++) {
                long phase = (long) (phases.nextDouble() * TimeUnit.MILLISECONDS.toNanos(o.intervalMs()));
                GoodClient c = new GoodClient(host, port, start + phase, TimeUnit.MILLISECONDS.toNanos(o.intervalMs()),
                        measureFrom, end, o.durationS() * 1000 / o.intervalMs() + 16);
                good.add(c);
                threads.add(daemon(c, "good-" + i));
            }
            for (int i = 0; i < o.slowloris(); i++) {
                SlowClient c = new SlowClient(host, port, i, TimeUnit.MILLISECONDS.toNanos(o.slowIntervalMs()), end);
                slow.add(c);
                threads.add(daemon(c, "slowloris-" + i));
            }
            threads.forEach(Thread::start);
            Sample max = idle;
            Sample measuredMax = idle;
            double cpuFrom = Double.NaN, clientCpuFrom = Double.NaN;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime()))));
                Sample s = Sample.of(pid);
                max = max.max(s);
                if (System.nanoTime() >= measureFrom) {
                    measuredMax = measuredMax.max(s);
                    if (Double.isNaN(cpuFrom)) {
                        cpuFrom = Sample.cpuSeconds(pid);
                        clientCpuFrom = Sample.cpuSeconds(ProcessHandle.current().pid());
                    }
                }
            }
            double serverCpu = Sample.cpuSeconds(pid) - cpuFrom;
            double clientCpu = Sample.cpuSeconds(ProcessHandle.current().pid()) - clientCpuFrom;
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(15));
            Sample after = Sample.of(pid);
            String heap = heapUsed(pid);
            System.out.println("server threads at end by name: " + threadNames(pid));

            long[] fromIntended = good.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).sorted().toArray();
            long[] all = good.stream().flatMapToLong(c -> Arrays.stream(c.serviceLatencies, 0, c.count)).sorted().toArray();
            long errors = good.stream().mapToLong(c -> c.errors).sum();
            String firstError = good.stream().map(c -> c.firstError.get()).filter(e -> e != null).findFirst().orElse("");
            double seconds = o.durationS();
            double p50 = pct(all, 0.50), p90 = pct(all, 0.90), p99 = pct(all, 0.99), p999 = pct(all, 0.999);
            double maxMs = all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6;
            System.out.printf(Locale.ROOT, "LOAD requests=%d seconds=%.0f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f"
                            + " max_ms=%.3f errors=%d%s%n", all.length, seconds, all.length / seconds, p50, p90, p99, p999, maxMs,
                    errors, firstError.isEmpty() ? "" : " (first: " + firstError + ")");
            System.out.printf(Locale.ROOT, "LOAD_FROM_SCHEDULE p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f"
                            + " (from each request's intended send time: adds the load generator's own wake-up lag)%n",
                    pct(fromIntended, 0.5), pct(fromIntended, 0.9), pct(fromIntended, 0.99), pct(fromIntended, 0.999),
                    fromIntended.length == 0 ? Double.NaN : fromIntended[fromIntended.length - 1] / 1e6);
            long opened = slow.stream().mapToLong(c -> c.opened).sum();
            long cut = slow.stream().mapToLong(c -> c.cut).sum();
            long lines = slow.stream().mapToLong(c -> c.lines).sum();
            System.out.printf(Locale.ROOT, "SLOWLORIS connections=%d opened=%d cut_by_server=%d header_lines_sent=%d"
                            + " (each cut after about --request-timeout-ms = %d ms)%n",
                    o.slowloris(), opened, cut, lines, o.requestTimeoutMs());
            System.out.printf(Locale.ROOT, "SERVER threads idle=%d max=%d (max while measured %d) end=%d; rss_mb idle=%.0f max=%.0f end=%.0f"
                            + " (heap capped at -Xmx%s; %s); open_fds idle=%d max=%d end=%d%n",
                    idle.threads, max.threads, measuredMax.threads, after.threads, idle.rssKb / 1024.0, max.rssKb / 1024.0,
                    after.rssKb / 1024.0, o.serverHeap(), heap, idle.fds, max.fds, after.fds);
            System.out.printf(Locale.ROOT, "CPU server %.2f s (%.0f us per request), load generator %.2f s, over the %d s measured;"
                            + " load average now %s%n", serverCpu, serverCpu * 1e6 / Math.max(1, all.length), clientCpu, o.durationS(),
                    loadAverage());
            boolean pass = errors == 0 && all.length > 0 && p99 < o.p99TargetMs();
            System.out.printf(Locale.ROOT, "load: %s p99 %.2f ms (target < %.0f ms), %d errors, %d requests%n",
                    pass ? "PASS" : "FAIL", p99, o.p99TargetMs(), errors, all.length);
            return pass;
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    /** JIT warm-up: {@code requests} requests back to back on 4 connections (not measured), so that the measured
     * window sees compiled code; prints the rate, which on an idle machine is the server's throughput. */
    private static void warmUp(String host, int port, int requests) throws InterruptedException {
        if (requests <= 0) return;
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(requests);
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            Thread t = daemon(() -> {
                byte[] request = request(host, port);
                try (Socket s = new Socket(host, port)) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(30_000);
                    InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                    while (left.decrementAndGet() >= 0) {
                        Http.Response r = Http.exchange(s.getOutputStream(), in, request);
                        if (r.status() != 200) throw new IOException("HTTP " + r.status() + " " + r.body());
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, e.toString());
                }
            }, "warm-up-" + i);
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "warm-up: %d requests back to back on 4 connections in %.1f s (%.0f requests/s)%s%n",
                requests, s, requests / s, failure.get() == null ? "" : "; failed: " + failure.get());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Trains a small German credit model (2 epochs: the weights do not matter here) and writes its frozen JSON. */
    static Path trainModel(Path dir) throws IOException {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        var spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(2).patience(0).build();
        Path file = dir.resolve("german_credit.frozen.json");
        try (TrainedModel model = TrainedModel.train(data, spec, "german_credit");
             OutputStream out = Files.newOutputStream(file)) {
            FrozenMicromodel frozen = Freezer.freeze(model);
            frozen.write(out);
            System.out.println("model: german_credit, network " + frozen.network().shape() + ", " + frozen.columns().size()
                    + " columns, frozen JSON in " + file);
        }
        return file;
    }

    private static int awaitPort(Process server) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
        List<String> seen = new ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
            seen.add(line);
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // server gone
                    }
                }, "server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the server exited before serving: " + String.join("\n", seen));
    }

    /** One request, which must be answered 200 with a label. */
    private static void check(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            Http.Response r = Http.exchange(s.getOutputStream(), new java.io.BufferedInputStream(s.getInputStream()), request(host, port));
            if (r.status() != 200 || !r.body().contains("\"label\"")) {
                throw new IOException("the server did not accept the load test's row: HTTP " + r.status() + " " + r.body());
            }
        }
    }

    static byte[] request(String host, int port) {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        return ("POST /predict HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    }

    /** A keep-alive client on a fixed schedule; latencies (ns) of requests intended at or after {@code measureFrom}. */
    static final class GoodClient implements Runnable {
        final String host;
        final int port;
        final long first, interval, measureFrom, end;
        long[] latencies;
        long[] serviceLatencies;
        int count;
        long errors;
        final AtomicReference<String> firstError = new AtomicReference<>();

        GoodClient(String host, int port, long first, long interval, long measureFrom, long end, int capacity) {
            this.host = host;
            this.port = port;
            this.first = first;
            this.interval = interval;
            this.measureFrom = measureFrom;
            this.end = end;
            this.latencies = new long[capacity];
            this.serviceLatencies = new long[capacity];
        }

        @Override
        public void run() {
            byte[] request = request(host, port);
            Socket socket = null;
            InputStream in = null;
            long next = first;
            while (next < end) {
                sleepUntil(next);
                boolean measured = next >= measureFrom;
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(10_000);
                        socket.connect(new InetSocketAddress(host, port), 10_000);
                        in = new java.io.BufferedInputStream(socket.getInputStream(), 4096);
                    }
                    long sent = System.nanoTime();
                    Http.Response r = Http.exchange(socket.getOutputStream(), in, request);
                    long done = System.nanoTime();
                    long latency = done - next;
                    if (r.status() != 200 || !r.body().contains("\"label\"")) {
                        error(measured, "HTTP " + r.status() + " " + r.body());
                    } else if (measured) {
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                            serviceLatencies = Arrays.copyOf(serviceLatencies, count * 2);
                        }
                        serviceLatencies[count] = done - sent;
                        latencies[count++] = latency;
                    }
                    if (r.close()) {
                        socket.close();
                        socket = null;
                    }
                } catch (IOException e) {
                    error(measured, e.toString());
                    closeQuietly(socket);
                    socket = null;
                }
                next += interval;
            }
            closeQuietly(socket);
        }

        private void error(boolean measured, String what) {
            if (measured) {
                errors++;
                firstError.compareAndSet(null, what);
            }
        }
    }

    /** Sends a request line, then a header line every {@code interval}, forever; reconnects when the server cuts it off. */
    static final class SlowClient implements Runnable {
        final String host;
        final int port;
        final int id;
        final long interval, end;
        long opened, cut, lines;

        SlowClient(String host, int port, int id, long interval, long end) {
            this.host = host;
            this.port = port;
            this.id = id;
            this.interval = interval;
            this.end = end;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(id);
            sleepUntil(System.nanoTime() + (long) (random.nextDouble() * interval));
            while (System.nanoTime() < end) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), 10_000);
                    opened++;
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    socket.setSoTimeout(1);
                    out.write(("POST /predict HTTP/1.1\r\nHost: " + host + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int n = 0; System.nanoTime() < end; n++) {
                        sleepUntil(Math.min(end, System.nanoTime() + interval));
                        if (System.nanoTime() >= end) break;
                        out.write(("X-Slow-" + n + ": " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        lines++;
                        if (closedByPeer(in)) {
                            cut++;
                            break;
                        }
                    }
                } catch (IOException e) {
                    cut++; // reset or refused write: the server closed it
                }
            }
        }

        private static boolean closedByPeer(InputStream in) throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            }
        }
    }

    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Threads, resident memory (kB) and open descriptors of a process, from /proc. */
    record Sample(int threads, long rssKb, int fds) {
        /** User plus system CPU seconds of a process so far (clock ticks of /proc/PID/stat at 100 Hz). */
        static double cpuSeconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        static Sample of(long pid) {
            int threads = 0;
            long rss = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("Threads:")) threads = Integer.parseInt(line.substring(8).trim());
                    if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
                String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
                return new Sample(threads, rss, fds == null ? -1 : fds.length);
            } catch (IOException | RuntimeException e) {
                return new Sample(-1, -1, -1);
            }
        }

        Sample max(Sample o) {
            return new Sample(Math.max(threads, o.threads), Math.max(rssKb, o.rssKb), Math.max(fds, o.fds));
        }
    }

    private static String heapUsed(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), "" + pid, "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
            return m.find() ? "heap used at end " + Long.parseLong(m.group(2)) / 1024 + " MB of " + Long.parseLong(m.group(1)) / 1024 + " MB"
                    : "heap: jcmd gave no figure";
        } catch (IOException | InterruptedException e) {
            return "heap: jcmd unavailable";
        }
    }

    /** Thread counts of a process by name with digits removed, from jcmd Thread.print. */
    private static String threadNames(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), "" + pid, "Thread.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
            Matcher m = Pattern.compile("(?m)^\"([^\"]*)\"").matcher(out);
            while (m.find()) counts.merge(m.group(1).replaceAll("[0-9]+", "#"), 1, Integer::sum);
            return counts.toString();
        } catch (IOException | InterruptedException e) {
            return "jcmd unavailable";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A minimal HTTP/1.1 client exchange on a kept-alive socket: write the request, read the status, headers and body. */
    static final class Http {
        record Response(int status, String body, boolean close) {
        }

        static Response exchange(OutputStream out, InputStream in, byte[] request) throws IOException {
            out.write(request);
            out.flush();
            StringBuilder head = new StringBuilder(256);
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) throw new IOException("connection closed by the server" + (head.length() > 0 ? " after: " + head : ""));
                head.append((char) c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                        : (c == '\r' ? 1 : 0);
            }
            String h = head.toString();
            int status = Integer.parseInt(h.substring(9, 12));
            Matcher m = CONTENT_LENGTH.matcher(h);
            if (!m.find()) throw new IOException("reply without Content-Length: " + h);
            byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
            boolean close = CLOSE.matcher(h).find();
            return new Response(status, new String(body, StandardCharsets.UTF_8), close);
        }

        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
        private static final Pattern CLOSE = Pattern.compile("(?i)\r\nconnection: *close");
    }
}
