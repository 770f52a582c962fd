package io.micromodels.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.backend.Backend.CudaStatus;
import io.micromodels.backend.Backend.CudaStatus.State;
import io.micromodels.backend.Backend.Decision;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Every backend path, on a machine without a GPU. */
class BackendTest {
    private static final CudaStatus ABSENT = new CudaStatus(State.ABSENT, "class not found");
    private static final CudaStatus UNUSABLE = new CudaStatus(State.UNUSABLE, "no CUDA device found");
    private static final CudaStatus USABLE = new CudaStatus(State.USABLE, "");

    @Test
    void flagBeatsEnvironmentBeatsPropertyBeatsDefault() {
        Properties props = new Properties();
        props.setProperty(Backend.PROPERTY, "cuda");
        Map<String, String> env = Map.of(Backend.ENV, "cpu");
        assertEquals(new Backend.Resolved(BackendChoice.AUTO, "--backend"), Backend.resolve("auto", env, props));
        assertEquals(new Backend.Resolved(BackendChoice.CPU, Backend.ENV), Backend.resolve(null, env, props));
        assertEquals(new Backend.Resolved(BackendChoice.CUDA, "-D" + Backend.PROPERTY), Backend.resolve(null, Map.of(), props));
        assertEquals(new Backend.Resolved(BackendChoice.AUTO, "default"), Backend.resolve(" ", Map.of(), new Properties()));
    }

    @Test
    void badChoiceNamesItsSourceAndTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backend.resolve(null, Map.of(Backend.ENV, "tpu"), new Properties()));
        assertEquals("MICROMODELS_BACKEND must be one of [cpu, cuda, auto], got 'tpu'", e.getMessage());
    }

    @Test
    void cpuAlwaysLoadsTheCpuBackend() {
        for (CudaStatus s : List.of(ABSENT, UNUSABLE, USABLE)) {
            assertEquals(new Decision(Backend.CPU_CLASS, null), Backend.decide(BackendChoice.CPU, s));
        }
    }

    @Test
    void cudaWithoutTheCudaBuildSaysSoAndHowToFixIt() {
        BackendException e = assertThrows(BackendException.class, () -> Backend.decide(BackendChoice.CUDA, ABSENT));
        assertTrue(e.getMessage().contains("CUDA build is absent"), e.getMessage());
        assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
    }

    @Test
    void cudaWithoutAUsableGpuSaysSoAndWhy() {
        BackendException e = assertThrows(BackendException.class, () -> Backend.decide(BackendChoice.CUDA, UNUSABLE));
        assertTrue(e.getMessage().contains("CUDA build is present but no usable GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("no CUDA device found"), e.getMessage());
        assertTrue(e.getMessage().contains("nvidia-smi"), e.getMessage());
    }

    @Test
    void cudaAndAutoUseAUsableGpu() {
        assertEquals(new Decision(Backend.CUDA_CLASS, null), Backend.decide(BackendChoice.CUDA, USABLE));
        assertEquals(new Decision(Backend.CUDA_CLASS, null), Backend.decide(BackendChoice.AUTO, USABLE));
    }

    @Test
    void autoFallsBackToTheCpuWithOneLine() {
        Decision absent = Backend.decide(BackendChoice.AUTO, ABSENT);
        Decision unusable = Backend.decide(BackendChoice.AUTO, UNUSABLE);
        assertEquals(Backend.CPU_CLASS, absent.backendClass());
        assertEquals(Backend.CPU_CLASS, unusable.backendClass());
        assertTrue(absent.fallbackNote().contains("using the CPU"), absent.fallbackNote());
        assertTrue(unusable.fallbackNote().contains("no usable GPU (no CUDA device found), falling back to the CPU"),
                unusable.fallbackNote());
        assertTrue(!absent.fallbackNote().contains("\n") && !unusable.fallbackNote().contains("\n"));
    }

    @Test
    void probeSaysAbsentExactlyWhenTheCudaBackendIsNotOnTheClassPath() {
        // a loader that sees only the JDK never has the CUDA backend, whatever the build profile
        ClassLoader jdkOnly = new java.net.URLClassLoader(new URL[0], null);
        CudaStatus none = Backend.probeCuda(jdkOnly);
        assertEquals(State.ABSENT, none.state(), none.reason());
        // the application's loader has it only in the -Pcuda build; then it is usable or says why not
        ClassLoader app = BackendTest.class.getClassLoader();
        boolean onClassPath = app.getResource(Backend.CUDA_CLASS.replace('.', '/') + ".class") != null;
        CudaStatus s = Backend.probeCuda(app);
        if (onClassPath) {
            assertTrue(s.state() != State.ABSENT, "CUDA backend on the class path but probed as absent: " + s.reason());
            assertTrue(s.state() == State.USABLE || !s.reason().isBlank(), "an unusable CUDA backend says why");
        } else {
            assertEquals(State.ABSENT, s.state(), s.reason());
        }
    }

    @Test
    void serviceFilterHidesOtherBackends() throws Exception {
        ClassLoader app = BackendTest.class.getClassLoader();
        String service = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";
        List<URL> all = Collections.list(app.getResources(service));
        assertTrue(!all.isEmpty(), "nd4j-native registers its backend");
        // each filter keeps exactly the service files of its own backend's jar (the CUDA jar only in -Pcuda builds)
        List<URL> cpu = all.stream().filter(u -> u.toString().contains("/nd4j-native-")).toList();
        List<URL> cuda = all.stream().filter(u -> u.toString().contains("/nd4j-cuda-")).toList();
        assertEquals(all.size(), cpu.size() + cuda.size(), "only ND4J's own backends register: " + all);
        assertEquals(cpu, Collections.list(new Backend.SingleBackendLoader(app, Backend.CPU_CLASS).getResources(service)));
        assertEquals(cuda, Collections.list(new Backend.SingleBackendLoader(app, Backend.CUDA_CLASS).getResources(service)));
    }

    @Test
    void initialiseLoadsTheCpuBackendRecordsItAndRefusesToSwitch() {
        BackendInfo info = Backend.initialise(new Backend.Resolved(BackendChoice.CPU, "test"));
        assertEquals("cpu", info.name());
        assertEquals("CpuBackend", info.ndBackend());
        assertEquals(Nd4j.getBackend().getClass().getSimpleName(), info.ndBackend());
        assertTrue(info.device().contains("logical cores"), info.device());
        // the first caller in this JVM decides (another test may have loaded ND4J with auto already)
        assertTrue(info.choice().equals("cpu (test)") || info.choice().startsWith("auto ("), info.choice());
        assertEquals(info, Backend.current());
        assertEquals(info, Backend.initialise(new Backend.Resolved(BackendChoice.AUTO, "test")));
        BackendException e = assertThrows(BackendException.class,
                () -> Backend.initialise(new Backend.Resolved(BackendChoice.CUDA, "test")));
        // a CUDA request after the CPU loaded says first why CUDA cannot run here at all, as a fresh process would
        switch (Backend.probeCuda(BackendTest.class.getClassLoader()).state()) {
            case ABSENT -> assertTrue(e.getMessage().contains("CUDA build is absent"), e.getMessage());
            case UNUSABLE -> assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
            case USABLE -> assertTrue(e.getMessage().contains("already loaded cpu"), e.getMessage());
        }
    }
}
