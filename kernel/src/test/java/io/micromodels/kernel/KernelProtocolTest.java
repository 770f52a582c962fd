package io.micromodels.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel against a real Jupyter client: protocol_driver.py starts the installed kernelspec with jupyter_client's
 * KernelManager and sends execute, complete, is_complete, inspect, interrupt, restart and shutdown requests over
 * ZeroMQ; these tests check what came back. One driver run serves every test (~30-40 s).
 */
class KernelProtocolTest {
    @TempDir
    static Path tmp;
    static JsonNode obs;

    @BeforeAll
    static void drive() throws Exception {
        String python = JupyterTools.pythonWith("jupyter_client");
        Path data = tmp.resolve("jupyter");
        JupyterTools.installKernel(data);
        Path script = JupyterTools.resource("protocol_driver.py", tmp);
        String out = JupyterTools.runPython(python, script, List.of(), data, tmp, 300);
        String line = out.lines().filter(l -> l.startsWith("OBSERVATIONS ")).findFirst()
                .orElseThrow(() -> new AssertionError("the driver printed no observations:\n" + out));
        obs = new ObjectMapper().readTree(line.substring("OBSERVATIONS ".length()));
    }

    @Test
    void kernelInfoNamesJava() {
        assertEquals("java", obs.at("/kernel_info/language").asText());
        assertEquals("micromodels-java", obs.at("/kernel_info/implementation").asText());
    }

    @Test
    void stdoutAndStderrAreStreamedSeparately() {
        JsonNode r = obs.get("streams");
        assertEquals("ok", r.get("status").asText());
        assertEquals("x=42\n", r.get("stdout").asText());
        assertEquals("careful\n", r.get("stderr").asText());
        assertEquals(0, r.get("results").size(), "declarations and statements show no value");
    }

    @Test
    void stateIsKeptBetweenCellsAndTheLastExpressionIsShown() {
        assertEquals("84", obs.at("/expression/results/0/text~1plain").asText());
        assertEquals("42", obs.at("/after_interrupt/results/0/text~1plain").asText());
    }

    @Test
    void aClassDefinedInOneCellIsUsedInALaterOne() {
        assertEquals("ok", obs.at("/define_class/status").asText());
        assertEquals(String.valueOf(3 + 4 + 42), obs.at("/use_class/results/0/text~1plain").asText());
    }

    @Test
    void aThrowingCellShowsOneReadableErrorAndTheNextCellRuns() {
        JsonNode r = obs.get("throws");
        assertEquals("error", r.get("status").asText());
        assertEquals(1, r.get("errors").size());
        JsonNode e = r.at("/errors/0");
        assertEquals("IllegalStateException", e.get("ename").asText());
        assertEquals("boom at 42", e.get("evalue").asText());
        List<String> tb = lines(e.get("traceback"));
        assertEquals("java.lang.IllegalStateException: boom at 42", tb.get(0));
        assertTrue(tb.contains("Caused by: java.io.IOException: disk"), tb.toString());
        assertTrue(tb.stream().noneMatch(l -> l.contains("jdk.jshell") || l.contains("java.lang.reflect")),
                "no JShell machinery in the traceback: " + tb);
        assertEquals("43", obs.at("/after_throw/results/0/text~1plain").asText());
    }

    @Test
    void aCompilationErrorNamesTheProblemAndPointsAtIt() {
        JsonNode e = obs.at("/compile_error/errors/0");
        assertEquals("CompilationError", e.get("ename").asText());
        assertEquals("cannot find symbol", e.get("evalue").asText());
        List<String> tb = lines(e.get("traceback"));
        assertTrue(tb.contains("    int y = undefinedThing + 1;"), tb.toString());
        assertTrue(tb.contains("            " + "^".repeat("undefinedThing".length())), tb.toString());
        assertTrue(tb.stream().noneMatch(l -> l.contains("\n")), "one line per traceback entry");
    }

    @Test
    void anImageValueIsAPng() {
        JsonNode r = obs.get("image");
        assertEquals(1, r.get("results").size());
        assertEquals(40, r.at("/png_size/0/0").asInt());
        assertEquals(30, r.at("/png_size/0/1").asInt());
    }

    @Test
    void displayHelperSendsDisplayData() {
        JsonNode d = obs.at("/html/displays");
        assertEquals(2, d.size());
        assertEquals("<b>bold</b>", d.at("/0/text~1html").asText());
        assertEquals("<table><thead><tr><th>k</th><th>v</th></tr></thead><tbody><tr><td>a</td>"
                + "<td style=\"text-align:right\">1.5000</td></tr></tbody></table>", d.at("/1/text~1html").asText());
    }

    @Test
    void completionUsesJShell() {
        JsonNode c = obs.get("complete");
        assertEquals("ok", c.get("status").asText());
        assertTrue(lines(c.get("matches")).contains("getWidth("), c.toString());
        String code = "String s = \"abc\";\nimg.getWid";
        assertEquals(code.length() - "getWid".length(), c.get("start").asInt());
        assertEquals(code.length(), c.get("end").asInt());
        assertEquals(List.of("max("), lines(obs.at("/complete_static/matches")));
    }

    @Test
    void isCompleteTellsIncompleteFromComplete() {
        JsonNode r = obs.get("is_complete");
        assertEquals("complete", r.get("int z = 1;").asText());
        assertEquals("incomplete", r.get("for (int i = 0; i < 3; i++) {").asText());
        assertEquals("incomplete", r.get("int w = 1; int v = ").asText());
        assertEquals("complete", r.get("x").asText());
    }

    @Test
    void inspectShowsTheSignature() {
        JsonNode r = obs.get("inspect");
        assertTrue(r.get("found").asBoolean(), r.toString());
        assertTrue(r.get("text").asText().contains("max(int"), r.toString());
    }

    @Test
    void interruptStopsAnInfiniteLoopAndASleepingCell() {
        for (String name : List.of("interrupt_spin", "interrupt_sleep")) {
            JsonNode r = obs.get(name);
            assertEquals("error", r.get("status").asText(), name);
            assertEquals("Interrupted", r.at("/errors/0/ename").asText(), name);
        }
        assertEquals("42", obs.at("/after_interrupt/results/0/text~1plain").asText(), "the kernel lives on");
    }

    @Test
    void restartStartsAFreshKernel() {
        assertEquals("CompilationError", obs.at("/after_restart_old_variable/errors/0/ename").asText(), "x is gone");
        assertEquals("42", obs.at("/after_restart/results/0/text~1plain").asText());
    }

    @Test
    void shutdownEndsTheProcess() {
        assertFalse(obs.get("alive_after_shutdown").asBoolean());
    }

    @Test
    void aKernelWhoseFrontEndDiesEndsToo() throws Exception {
        String python = JupyterTools.pythonWith("jupyter_client");
        Path script = tmp.resolve("protocol_driver.py");
        String out = JupyterTools.runPython(python, script, List.of("--orphan"), tmp.resolve("jupyter"), tmp, 300);
        long pid = Long.parseLong(out.lines().filter(l -> l.startsWith("KERNEL_PID ")).findFirst()
                .orElseThrow(() -> new AssertionError("no pid:\n" + out)).substring("KERNEL_PID ".length()).trim());
        java.util.Optional<ProcessHandle> kernel = ProcessHandle.of(pid);
        if (kernel.isPresent()) {
            kernel.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS); // throws TimeoutException if it lingers
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static List<String> lines(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
