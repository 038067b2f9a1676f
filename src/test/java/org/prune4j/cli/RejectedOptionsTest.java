package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options that a run would ignore, and hyperparameters it cannot use, are refused with one line
 * before any data is read (issue 13, items 2 and 10).
 */
class RejectedOptionsTest {
    @TempDir
    Path dir;

    private String refused(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--out", dir.toString(), "--data", dir.resolve("none").toString()))
                    .toArray(String[]::new);
            code = Main.run(all);
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertFalse(err.contains("no such folder"), "refused before the data is looked at: " + err);
        return err;
    }

    @Test
    void optionsTheScheduleIgnoresAreErrors() {
        String sparsity = refused("prune", "--sparsity", "0.9");
        assertTrue(sparsity.contains("--sparsity applies to --schedule oneshot or gradual") && sparsity.contains(
                "--rate 0.3690"), sparsity);
        assertTrue(refused("prune", "--schedule", "oneshot", "--rounds", "3").contains("--rounds does not apply to "
                + "--schedule oneshot"));
        assertTrue(refused("prune", "--schedule", "oneshot", "--sparsity", "0.5", "--rate", "0.3")
                .contains("--rate does not apply"));
        assertTrue(refused("prune", "--schedule", "gradual", "--reset", "reinit").contains("--reset does not apply "
                + "to --schedule gradual"));
        assertTrue(refused("lottery", "--preset", "lenet300-quick", "--schedule", "iterative", "--gradual", "1,2,3").contains("--gradual does not"));
        assertTrue(refused("train", "--optimizer", "adam", "--momentum", "0.5").contains("--momentum applies to "
                + "--optimizer momentum or nesterov"));
    }

    @Test
    void hyperparametersThatCannotTrainAreErrorsNotDivergence() {
        assertTrue(refused("train", "--optimizer", "momentum", "--momentum", "NaN").contains("--momentum must be in"));
        assertTrue(refused("train", "--optimizer", "sgd", "--weight-decay", "NaN").contains("--weight-decay must be finite and >= 0"));
        assertTrue(refused("train", "--weight-decay", "Infinity").contains("finite"));
        assertTrue(refused("train", "--lr-schedule", "steps:NaN:100").contains("gamma must be positive and finite"));
        assertTrue(refused("train", "--lr-schedule", "steps:-0.5:100").contains("gamma must be positive"));
        String gamma = refused("train", "--lr-schedule", "steps:abc:100");
        assertTrue(gamma.contains("gamma 'abc' is not a number") && !gamma.contains("For input string"), gamma);
        String warm = refused("train", "--lr-schedule", "cosine:ten");
        assertTrue(warm.contains("warm-up 'ten' is not a whole number"), warm);
        assertTrue(refused("train", "--lr-schedule", "steps:0.1:-5").contains("milestones are iterations >= 0"));
        assertTrue(refused("train", "--lr", "NaN").contains("learning rate must be positive and finite"));
        assertTrue(refused("lottery", "--preset", "lenet300-quick", "--fallback", "gpu").contains("--fallback takes none or cpu"));
    }

    @Test
    void runFoldersAreNotWrittenWhenSettingsAreRefused() throws Exception {
        refused("prune", "--sparsity", "0.9");
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing was created");
        }
    }

    @Test
    void sparsityIsAFractionOrAPercentageWithItsSign() {
        assertEquals(0.9, new Fraction().convert("0.9"), 0);
        assertEquals(0.9, new Fraction().convert("90%"), 1e-15);
        assertEquals(0.025, new Fraction().convert(" 2.5 % "), 1e-15);
        for (String bad : new String[] {"90", "-0.1", "101%", "ninety", "%"}) {
            String msg = assertThrows(picocli.CommandLine.TypeConversionException.class,
                    () -> new Fraction().convert(bad)).getMessage();
            assertTrue(msg.contains("(90%)"), bad + ": " + msg);
        }
        String msg = CliRun.of("prune", "--schedule", "oneshot", "--sparsity", "90").err();
        assertTrue(msg.contains("'90' is outside [0, 1]"), msg);
    }
}
