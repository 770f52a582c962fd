package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;

/** The kernel command calls the kernel module: its kernelspec starts the kernel with this JVM's class path. */
class KernelCommandTest {
    @Test
    void specStartsTheKernelWithThisClassPath() {
        CliTest.Run r = CliTest.run("kernel", "spec");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"io.micromodels.kernel.KernelMain\""), r.out());
        String firstEntry = new File(System.getProperty("java.class.path").split(File.pathSeparator)[0])
                .getAbsoluteFile().toPath().normalize().toString();
        assertTrue(r.out().contains(firstEntry), "class path entry " + firstEntry + " in " + r.out());
    }

    @Test
    void badOptionsExitWithTwo() {
        CliTest.Run r = CliTest.run("kernel", "install", "--user", "--sys-prefix");
        assertEquals(2, r.code());
        assertEquals("error: choose one of --user, --sys-prefix, --prefix DIR", r.err().strip());
    }

    @Test
    void isListedInTheHelp() {
        CliTest.Run r = CliTest.run("--help");
        assertTrue(r.out().contains("kernel") && r.out().contains("micromodels-java"), r.out());
    }
}
