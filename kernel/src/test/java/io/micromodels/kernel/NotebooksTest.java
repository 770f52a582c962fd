package io.micromodels.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook in notebooks/ top to bottom with nbclient (Debian's python3-nbclient) on the Java kernel
 * built here, as a user's {@code jupyter nbconvert --execute} would: a notebook fails if any cell shows an error, if a
 * cell did not run, or if the outputs it exists for are missing (a metrics table, at least one image).
 */
class NotebooksTest {
    @TempDir
    static Path tmp;
    static List<Path> notebooks;
    static JsonNode report;

    @BeforeAll
    static void executeAll() throws Exception {
        String python = JupyterTools.pythonWith("nbclient", "nbformat", "jupyter_client");
        Path dir = JupyterTools.projectRoot().resolve("notebooks");
        try (Stream<Path> files = Files.list(dir)) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir);
        Path data = tmp.resolve("jupyter");
        JupyterTools.installKernel(data);
        Path out = Files.createDirectories(tmp.resolve("executed"));
        List<String> args = new ArrayList<>(List.of(out.toString()));
        notebooks.forEach(p -> args.add(p.toString()));
        Path script = JupyterTools.resource("run_notebooks.py", tmp);
        String stdout = JupyterTools.runPython(python, script, args, data, tmp, 900);
        String line = stdout.lines().filter(l -> l.startsWith("NOTEBOOKS ")).findFirst()
                .orElseThrow(() -> new AssertionError("no report from run_notebooks.py:\n" + stdout));
        report = new ObjectMapper().readTree(line.substring("NOTEBOOKS ".length()));
        double total = 0;
        for (Path nb : notebooks) {
            double s = report.at("/" + nb.getFileName() + "/seconds").asDouble();
            total += s;
            System.out.printf(Locale.ROOT, "notebook %-32s %6.1f s%n", nb.getFileName(), s);
        }
        System.out.printf(Locale.ROOT, "all notebooks: %.1f s%n", total);
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsCleanlyOnTheJavaKernel() {
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            JsonNode r = report.get(nb.getFileName().toString());
            assertEquals("micromodels-java", r.get("kernel").asText(), "the notebook's kernel");
            assertEquals(0, r.get("errors").size(), "error cells: " + r.get("errors"));
            assertTrue(r.get("code_cells").asInt() > 0);
            assertEquals(r.get("code_cells").asInt(), r.get("executed").asInt(), "every code cell ran");
            assertTrue(r.at("/mimes/image~1png").asInt() >= 1, "at least one image: " + r.get("mimes"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> modelNotebooksShowAMetricsTable() {
        return notebooks.stream().filter(nb -> !nb.getFileName().toString().startsWith("05_"))
                .map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
                    JsonNode html = report.at("/" + nb.getFileName() + "/html");
                    boolean metrics = false;
                    for (JsonNode h : html) {
                        metrics |= h.asText().startsWith("<table class=\"" + Display.METRICS_TABLE_CLASS + "\"><thead><tr><th>metric</th><th>value</th>");
                    }
                    assertTrue(metrics, "a metrics table in " + nb.getFileName());
                }));
    }

    @TestFactory
    Stream<DynamicTest> benchmarkNotebookShowsTheResultsTables() {
        return notebooks.stream().filter(nb -> nb.getFileName().toString().startsWith("05_"))
                .map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
                    JsonNode r = report.get(nb.getFileName().toString());
                    assertTrue(r.at("/mimes/image~1png").asInt() >= 2, "the inference and population charts");
                    boolean datasets = false;
                    for (JsonNode h : r.get("html")) {
                        datasets |= h.asText().contains("<th>dataset</th>") && h.asText().contains("<td>german_credit</td>");
                    }
                    assertTrue(datasets, "the per-dataset table read from gpu-bench/RESULTS.md");
                }));
    }
}
