package io.micromodels.tune.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server for tests: Debian's {@code postgresql} binaries ({@code initdb}, {@code pg_ctl}),
 * a cluster in a temporary folder, listening on 127.0.0.1 on a free port, trust authentication for user
 * {@code postgres}. Run as root (CI), the server runs as the {@code postgres} user ({@code runuser}), since PostgreSQL
 * refuses root. Without the binaries the test is skipped, unless {@code MICROMODELS_REQUIRE_POSTGRES=1} (CI), when it
 * fails.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final Thread hook;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.hook = new Thread(this::stop, "postgres-stop");
    }

    /** @return a started server; aborts (skips) the test when PostgreSQL is not installed and not required */
    public static PostgresServer startOrSkip() throws IOException, InterruptedException {
        Optional<Path> bin = binDir();
        if (bin.isEmpty()) {
            if ("1".equals(System.getenv("MICROMODELS_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException("MICROMODELS_REQUIRE_POSTGRES=1 but no initdb/pg_ctl found (pg_config --bindir,"
                        + " /usr/lib/postgresql/*/bin): apt-get install postgresql");
            }
            Assumptions.abort("PostgreSQL is not installed (apt-get install postgresql); set MICROMODELS_REQUIRE_POSTGRES=1 to fail");
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "micromodels-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin.get(), dir, port);
        server.start();
        return server;
    }

    /** The folder of initdb and pg_ctl: {@code pg_config --bindir}, else the newest /usr/lib/postgresql/N/bin. */
    static Optional<Path> binDir() {
        List<Path> candidates = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException | InterruptedException e) {
            // no pg_config: look in Debian's folders
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path v) -> v.getParent().getFileName().toString(),
                                Comparator.comparingInt((String n) -> n.matches("\\d+") ? Integer.parseInt(n) : 0)).reversed())
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // none there
            }
        }
        return candidates.stream().filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .findFirst();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> as(String... cmd) {
        List<String> out = new ArrayList<>();
        if (root()) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(cmd));
        return out;
    }

    private void run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("commands.log").toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("commands.log")));
        }
    }

    private void start() throws IOException, InterruptedException {
        if (root()) {
            run(List.of("chown", "postgres", dir.toString()), 30);
        }
        Path data = dir.resolve("data");
        run(as(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "-N",
                "-E", "UTF8", "--locale=C"), 180);
        Runtime.getRuntime().addShutdownHook(hook);
        run(as(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-t", "120", "start", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c max_connections=50"), 180);
    }

    /** @return the JDBC URL of the {@code postgres} database as user {@code postgres} */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private void stop() {
        try {
            run(as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), 60);
        } catch (IOException | InterruptedException ignored) {
            // best effort
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }
}
