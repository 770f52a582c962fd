package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel command forwards to the kernel module; core's own class path does not have it. */
class KernelCommandTest {
    @Test
    void withoutTheKernelModuleItSaysHowToRunIt() {
        CliTest.Run r = CliTest.run("kernel", "install");
        assertEquals(2, r.code());
        assertEquals("error: the Java kernel (kernel module) is not on the class path; run through ./micromodels",
                r.err().strip());
    }

    @Test
    void isListedInTheHelp() {
        CliTest.Run r = CliTest.run("--help");
        assertTrue(r.out().contains("kernel") && r.out().contains("micromodels-java"), r.out());
    }
}
