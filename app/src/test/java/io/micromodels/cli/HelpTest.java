package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level {@code --help} as a user reads it: every command's line is a whole sentence, never cut. */
class HelpTest {

    @Test
    void everyCommandDescriptionInTheTopLevelHelpEndsWithAFullSentence() {
        CliTest.Run r = CliTest.run("--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out();
        int at = help.indexOf("Commands:");
        assertTrue(at >= 0, help);
        // each entry: "  name   text" then continuation lines indented deeper; collect the text per command
        Map<String, StringBuilder> shown = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : help.substring(at).lines().skip(1).toList()) {
            if (line.isBlank()) break;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^  (\\S+)\\s+(.*)$").matcher(line);
            if (m.matches()) {
                current = new StringBuilder(m.group(2).strip());
                shown.put(m.group(1), current);
            } else if (current != null) {
                current.append(' ').append(line.strip());
            }
        }
        CommandLine cli = new CommandLine(new Main());
        assertEquals(cli.getSubcommands().keySet(), shown.keySet(), help);
        for (Map.Entry<String, StringBuilder> e : shown.entrySet()) {
            String text = e.getValue().toString();
            String full = String.join(" ", cli.getSubcommands().get(e.getKey()).getCommandSpec().usageMessage().description());
            assertTrue(text.endsWith("."), e.getKey() + ": '" + text + "' is cut mid-sentence");
            assertTrue(full.startsWith(text), e.getKey() + ": '" + text + "' is not the start of its description '" + full + "'");
        }
    }

    /**
     * Every command's own --help formats: a stray '%' in a description makes picocli warn on stderr and print the raw
     * text. Run in a child JVM, since picocli's tracer holds the System.err it found when it was made.
     */
    @Test
    void everyCommandsHelpFormatsWithoutPicocliWarnings() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), HelpTest.class.getName())
                .redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), all);
        for (String name : new CommandLine(new Main()).getSubcommands().keySet()) {
            if (name.equals("bench") || name.equals("kernel")) continue; // they pass --help on to their own tools
            assertTrue(all.contains("Usage: micromodels " + name), name + " printed its help:\n" + all);
        }
        assertFalse(all.contains("picocli WARN"), all);
    }

    /** The child of {@link #everyCommandsHelpFormatsWithoutPicocliWarnings}: every command's --help, then exit 0. */
    public static void main(String[] args) {
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        int worst = 0;
        for (String name : new CommandLine(new Main()).getSubcommands().keySet()) {
            if (name.equals("bench") || name.equals("kernel")) continue;
            worst = Math.max(worst, Main.execute(new String[] {name, "--help"}, out, err));
        }
        out.flush();
        err.flush();
        System.exit(worst);
    }
}
