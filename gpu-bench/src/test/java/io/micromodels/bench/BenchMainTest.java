package io.micromodels.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest {

    @Test
    void trainSuiteIsRegisteredThroughServiceLoader() {
        BenchSuite train = BenchMain.suites().get("train");
        assertTrue(train != null, "train registered in META-INF/services");
        assertFalse(train.description().isEmpty());
    }

    @Test
    void defaultNameDropsSuffix() {
        class HpoBenchmark implements BenchSuite {
            public void run(BenchContext ctx) {
            }
        }
        assertEquals("hpo", new HpoBenchmark().name());
    }

    @Test
    void optionsAreParsed() {
        BenchContext ctx = BenchContext.parse(new String[] {"train", "--suite", "full", "--out", "/tmp/x", "--force",
                "--threads=3", "--backend", "cpu", "--no-peers"});
        assertEquals(SuiteSize.FULL, ctx.size());
        assertEquals(Path.of("/tmp/x"), ctx.outDir());
        assertTrue(ctx.force());
        assertEquals(3, ctx.threads());
        assertEquals(BackendRequest.CPU, ctx.backend());
        assertFalse(ctx.peersEnabled());
        assertEquals(java.util.List.of("train"), ctx.positionals());
    }

    @Test
    void defaultsAreQuickAFreshDirAndNoForce() {
        BenchContext ctx = BenchContext.parse(new String[] {"train"});
        assertEquals(SuiteSize.QUICK, ctx.size());
        assertFalse(ctx.force());
        assertTrue(ctx.outDir().toString().startsWith("results/run-"), ctx.outDir().toString());
        assertFalse(ctx.outDir().toFile().exists());
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchContext.parse(new String[] {"--suite", "medium"}));
        assertEquals(java.util.List.of("--bogus", "7"), BenchContext.parse(new String[] {"hpo", "--bogus", "7"}).suiteArgs());
        assertEquals(2, BenchMain.run(new String[] {"train", "--bogus"}), "train takes no options of its own");
        assertEquals(2, BenchMain.run(new String[] {"hpo", "data", "--trials", "3"}), "suite options need one suite");
        assertThrows(IllegalArgumentException.class, () -> BenchContext.parse(new String[] {"--threads", "0"}));
        assertThrows(IllegalArgumentException.class, () -> BenchContext.parse(new String[] {"--backend", "tpu"}));
        assertEquals(2, BenchMain.run(new String[] {"nosuchsuite", "--no-peers"}));
    }

    @Test
    void gpuRequestRefusesCpuFallback() {
        MachineFacts cpu = ResultTableTest.cpuFacts();
        assertFalse(cpu.isGpu());
        IllegalStateException e = assertThrows(IllegalStateException.class, cpu::requireGpu);
        assertEquals("GPU results refused: ND4J loaded org.nd4j.linalg.cpu.nativecpu.CpuBackend (fell back to the CPU)",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> BackendRequest.CUDA.verify(cpu));
        BackendRequest.CPU.verify(cpu);
        BackendRequest.AUTO.verify(cpu);
        assertEquals("cpu", cpu.backendLabel());
    }

    @Test
    void hostFactsNeedNoNd4j() {
        MachineFacts f = MachineFacts.collectHostOnly();
        assertFalse(f.hostname().isEmpty());
        assertTrue(f.logicalCores() >= 1);
        assertEquals("host", f.backendLabel());
        assertFalse(f.isGpu());
        assertThrows(IllegalStateException.class, f::requireGpu);
    }
}
