package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help with its usage and runs nothing; lottery without a preset lists them. */
class HelpEverywhereTest {
    @Test
    void everyCommandHasHelp() {
        var names = new CommandLine(new Main()).getSubcommands().keySet();
        assertTrue(names.size() >= 15, names.toString());
        for (String name : names) {
            CliRun r = CliRun.of(name, "--help");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: prune4j " + name), name + ": " + r.out());
        }
    }

    @Test
    void lotteryWithoutAPresetSaysWhichExistAndHowLongTheyTake() {
        CliRun r = CliRun.of("lottery");
        assertTrue(r.code() != 0, "refused");
        assertTrue(r.err().contains("lenet300-lth") && r.err().contains("lenet300-quick")
                && r.err().contains("80 minutes"), r.err());
    }
}
