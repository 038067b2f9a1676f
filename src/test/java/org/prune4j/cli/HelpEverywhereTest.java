package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help with its usage and runs nothing; lottery without a preset lists them. */
class HelpEverywhereTest {
    private static String[] capture(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        var names = new CommandLine(new Main()).getSubcommands().keySet();
        assertTrue(names.size() >= 15, names.toString());
        for (String name : names) {
            String[] r = capture(name, "--help");
            assertEquals("0", r[0], name + ": " + r[2]);
            assertTrue(r[1].startsWith("Usage: prune4j " + name), name + ": " + r[1]);
        }
    }

    @Test
    void lotteryWithoutAPresetSaysWhichExistAndHowLongTheyTake() {
        String[] r = capture("lottery");
        assertTrue(!r[0].equals("0"), "refused");
        assertTrue(r[2].contains("lenet300-lth") && r[2].contains("lenet300-quick") && r[2].contains("80 minutes"),
                r[2]);
    }
}
