package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
