package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} and {@code dashboard} on bad input: one line naming what was wrong, nothing written. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private void assertOneLineErrorAndNothingWritten(String[] r, Path out, String expected) throws Exception {
        assertEquals("2", r[0], r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].startsWith("error: ") && r[2].contains(expected), r[2]);
        assertFalse(Files.exists(out) && Files.list(out).findAny().isPresent(), "nothing may be written to " + out);
    }

    @Test
    void aCorruptedModelZipIsAOneLineErrorAndNoHtml() throws Exception {
        Path zip = tmp.resolve("model.zip");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7});
        Path out = tmp.resolve("out");
        assertOneLineErrorAndNothingWritten(run("report", "--model", zip.toString(), "--out", out.toString()), out,
                zip.toString());
    }

    @Test
    void anEmptyStudyIsAOneLineErrorAndNoHtml() throws Exception {
        Path study = tmp.resolve("study");
        Files.createDirectories(study);
        Files.writeString(study.resolve("study.json"), "{\"format\":1,\"id\":\"s1\",\"metric\":\"auc\",\"options\":{\"trials\":6}}");
        Files.writeString(study.resolve("trials.jsonl"), "");
        Path out = tmp.resolve("out");
        assertOneLineErrorAndNothingWritten(run("report", "--study", study.toString(), "--out", out.toString()), out,
                "has no finished trials");
    }

    @Test
    void aFolderThatIsNotAStudyIsRefusedByBothCommands() throws Exception {
        Path out = tmp.resolve("out");
        assertOneLineErrorAndNothingWritten(run("report", "--study", tmp.toString(), "--out", out.toString()), out,
                "study.json is missing");
        String[] r = run("dashboard", tmp.toString(), "--port", "0");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("study.json is missing"), r[2]);
        assertEquals("2", run("dashboard", tmp.toString(), "--port", "70000")[0]);
    }

    @Test
    void modelAndStudyTogetherAreRefusedBeforeDisk() throws Exception {
        Path out = tmp.resolve("out");
        assertOneLineErrorAndNothingWritten(run("report", "--out", out.toString()), out, "exactly one of --model");
    }
}
