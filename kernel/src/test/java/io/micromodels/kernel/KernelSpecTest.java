package io.micromodels.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
    @TempDir
    Path tmp;

    @Test
    void kernelJsonStartsKernelMainWithTheClassPathAndMessageInterrupts() throws Exception {
        String cp = tmp.resolve("a.jar") + File.pathSeparator + "rel/classes";
        KernelSpec spec = KernelSpec.forClassPath("micromodels-java", cp, List.of("-Xmx1g"));
        Path dir = spec.install(tmp.resolve("kernels"), false);
        assertEquals(tmp.resolve("kernels/micromodels-java"), dir);
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("kernel.json")));
        assertEquals("message", json.get("interrupt_mode").asText());
        assertEquals("java", json.get("language").asText());
        JsonNode argv = json.get("argv");
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.get(0).asText());
        assertEquals("-Xmx1g", argv.get(2).asText());
        assertEquals("-cp", argv.get(3).asText());
        assertEquals(tmp.resolve("a.jar") + File.pathSeparator + Path.of("rel/classes").toAbsolutePath(), argv.get(4).asText());
        assertEquals("io.micromodels.kernel.KernelMain", argv.get(5).asText());
        assertEquals("{connection_file}", argv.get(6).asText());
        assertEquals(7, argv.size());
    }

    @Test
    void anExistingDifferentSpecIsReplacedOnlyWithForce() throws Exception {
        KernelSpec a = KernelSpec.forClassPath("k", "/x.jar", List.of());
        KernelSpec b = KernelSpec.forClassPath("k", "/y.jar", List.of());
        a.install(tmp, false);
        a.install(tmp, false); // the same content again is fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.install(tmp, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(Files.readString(tmp.resolve("k/kernel.json")).contains("/x.jar"), "nothing replaced");
        b.install(tmp, true);
        assertTrue(Files.readString(tmp.resolve("k/kernel.json")).contains("/y.jar"));
        try (var files = Files.list(tmp.resolve("k"))) {
            assertEquals(List.of("kernel.json"), files.map(p -> p.getFileName().toString()).toList(), "no temp files left");
        }
    }

    @Test
    void userFolderFollowsJupyterDataDirThenXdg() {
        assertEquals(Path.of("/d/kernels"), KernelSpec.userKernelsDir(Map.of("JUPYTER_DATA_DIR", "/d", "XDG_DATA_HOME", "/x")));
        assertEquals(Path.of("/x/jupyter/kernels"), KernelSpec.userKernelsDir(Map.of("XDG_DATA_HOME", "/x")));
        assertEquals(Path.of(System.getProperty("user.home"), ".local/share/jupyter/kernels"), KernelSpec.userKernelsDir(Map.of()));
        assertEquals(Path.of("/p/share/jupyter/kernels"), KernelSpec.prefixKernelsDir(Path.of("/p")));
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSpec.forClassPath("bad name", "/x.jar", List.of()));
        assertTrue(e.getMessage().startsWith("--name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelSpec.forClassPath("k", "/x.jar", List.of("Xmx1g")));
        assertTrue(e.getMessage().contains("--jvm-option") && e.getMessage().contains("Xmx1g"), e.getMessage());
    }

    @Test
    void cliInstallsIntoAPrefixAndRefusesTwoLocations() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KernelCli.run(new String[] {"install", "--prefix", tmp.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("share/jupyter/kernels/micromodels-java/kernel.json")));
        code = KernelCli.run(new String[] {"install", "--prefix", tmp.toString(), "--sys-prefix"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().contains("choose one of --user, --sys-prefix, --prefix DIR"), err.toString());
    }
}
