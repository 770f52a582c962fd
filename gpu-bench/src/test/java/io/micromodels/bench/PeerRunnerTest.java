package io.micromodels.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PeerRunnerTest {

    @TempDir
    static Path dir;
    private final PeerRunner runner = new PeerRunner(PeerRunner.DEFAULT_PYTHON, Duration.ofSeconds(60));

    @BeforeAll
    static void needsPython() {
        assumeTrue(Files.isExecutable(PeerRunner.DEFAULT_PYTHON), "no /usr/bin/python3 here");
    }

    private static Path script(String name, String body) throws Exception {
        return Files.writeString(dir.resolve(name), body);
    }

    @Test
    void missingModuleIsReportedAsSkipped() throws Exception {
        Path s = script("needs_missing.py", "import micromodels_no_such_module_xyz\nprint('{\"width\": 1}')\n");
        PeerOutcome o = runner.run("fake", s, 1, List.of());
        assertEquals(PeerOutcome.Status.SKIPPED, o.status(), o.line());
        assertEquals("peer fake skipped: Python module 'micromodels_no_such_module_xyz' not installed", o.line());
        assertTrue(o.results().isEmpty(), "nothing made up");
    }

    @Test
    void missingInterpreterIsReportedAsSkipped() throws Exception {
        Path s = script("ok.py", "print('{}')\n");
        PeerOutcome o = new PeerRunner(Path.of("/nonexistent/python3"), Duration.ofSeconds(5)).run("torch", s, 1, List.of());
        assertEquals("peer torch skipped: interpreter /nonexistent/python3 not found", o.line());
    }

    @Test
    void scriptCanSaySkipped() throws Exception {
        Path s = script("says_skip.py", "print('{\"skipped\": \"no GPU\"}')\n");
        assertEquals("peer g skipped: no GPU", runner.run("g", s, 1, List.of()).line());
    }

    @Test
    void resultsThreadsAndArgumentsArePassed() throws Exception {
        Path s = script("echo.py", String.join("\n",
                "import json, os, sys",
                "print('warming up')",
                "print(json.dumps({'meta': {'v': 1}}))",
                "print(json.dumps({'argv': sys.argv[1:], 'omp': os.environ['OMP_NUM_THREADS'],",
                "                  'openblas': os.environ['OPENBLAS_NUM_THREADS'], 'samples_us': [1.0, 2.0]}))",
                ""));
        PeerOutcome o = runner.run("echo", s, 3, List.of("--grid", "32x64"));
        assertEquals(PeerOutcome.Status.OK, o.status(), o.line());
        assertEquals(1, o.results().size(), "non-JSON and meta lines are not results");
        assertEquals(1, o.meta().get("v").asInt());
        assertEquals("[\"--threads\",\"3\",\"--grid\",\"32x64\"]", o.results().get(0).get("argv").toString());
        assertEquals("3", o.results().get(0).get("omp").asText());
        assertEquals("3", o.results().get(0).get("openblas").asText());
    }

    @Test
    void crashIsAFailureNotASkip() throws Exception {
        Path s = script("crash.py", "import sys\nsys.stderr.write('boom\\n')\nsys.exit(3)\n");
        PeerOutcome o = runner.run("c", s, 1, List.of());
        assertEquals(PeerOutcome.Status.FAILED, o.status());
        assertEquals("peer c failed: exit code 3: boom", o.line());
    }

    @Test
    void timeoutIsAFailure() throws Exception {
        Path s = script("slow.py", "import time\ntime.sleep(30)\n");
        PeerOutcome o = new PeerRunner(PeerRunner.DEFAULT_PYTHON, Duration.ofMillis(500)).run("slow", s, 1, List.of());
        assertEquals(PeerOutcome.Status.FAILED, o.status());
        assertTrue(o.line().startsWith("peer slow failed: timed out"), o.line());
    }

    @Test
    void bundledScriptsAreFound() throws Exception {
        Path d = PeerRunner.scriptsDir();
        for (String f : PeerRunner.BUNDLED) assertTrue(Files.isRegularFile(d.resolve(f)), f + " in " + d);
    }
}
