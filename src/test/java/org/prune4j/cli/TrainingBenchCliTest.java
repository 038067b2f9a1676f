package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune4j bench --training}: its files agree with each other, and options that would be ignored are refused. */
class TrainingBenchCliTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aQuickRunWritesEveryRowToTheCsvAndTheTable() throws Exception {
        String[] r = run("bench", "--training", "--quick", "--no-torch", "--backend", "cpu", "--modes",
                "dense,masked_dense,sparse", "--out", dir.toString(), "--name", "t");
        assertEquals("0", r[0], r[1]);
        List<String> csv = Files.readAllLines(dir.resolve("t.csv"));
        // header, the dense row, masked dense and sparse at 0% and 90%
        assertEquals(6, csv.size(), csv.toString());
        String md = Files.readString(dir.resolve("t.md"));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            assertTrue(Double.parseDouble(f[4]) > 0, "median ms of " + line);
            assertEquals(0.0, Double.parseDouble(f[9]), "a step copies nothing on the CPU: " + line);
            assertTrue(md.contains(f[2].replace('_', ' ')), f[2] + " missing from the table");
        }
        assertTrue(md.contains("command: `prune4j bench --training --quick"), md);
        assertTrue(md.contains("PyTorch peer not requested"), md);
    }

    @Test
    void optionsThatWouldBeIgnoredAreRefused() {
        String[] r = run("bench", "--training", "--structures", "csr", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("--structures belongs to the product sweep"), r[1]);
        r = run("bench", "--models", "lenet300:60", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("--models only applies with --training"), r[1]);
        r = run("bench", "--training", "--models", "lenet300:zero", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("not a whole number"), r[1]);
        r = run("bench", "--training", "--modes", "fastest", "--out", dir.toString());
        assertTrue(r[1].contains("unknown mode 'fastest'"), r[1]);
        r = run("bench", "--blocks", "16x16", "--out", dir.toString());
        assertTrue(r[1].contains("--blocks only applies with --training"), r[1]);
        r = run("bench", "--training", "--blocks", "3x3", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("--blocks takes RxC"), r[1]);
        r = run("bench", "--training", "--two-four", "--sparsities", "0.5,0.9", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("--two-four prunes exactly two of every four"), r[1]);
        r = run("bench", "--training", "--two-four", "--blocks", "4x4", "--out", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("give one"), r[1]);
        r = run("bench", "--two-four", "--out", dir.toString());
        assertTrue(r[1].contains("--two-four only applies with --training"), r[1]);
    }

    @Test
    void twoFourMasksAreDrawnExactly() throws Exception {
        String[] r = run("bench", "--training", "--quick", "--no-torch", "--backend", "cpu", "--modes", "dense,sparse",
                "--two-four", "--out", dir.toString(), "--name", "tf");
        assertEquals("0", r[0], r[1]);
        String md = Files.readString(dir.resolve("tf.md"));
        assertTrue(md.contains("exact 2:4 mask"), md);
        assertTrue(md.contains("fc1.weight sparse 2:4"), md);
        String csv = Files.readString(dir.resolve("tf.csv"));
        assertTrue(csv.contains(",sparse,0.5000,"), csv);
        assertEquals(3, csv.lines().count(), "a header, the dense row and the one 2:4 row: " + csv);
    }

    @Test
    void blockMasksRunOnTheBlockKernels() throws Exception {
        String[] r = run("bench", "--training", "--quick", "--no-torch", "--backend", "cpu", "--modes", "sparse",
                "--blocks", "8x8", "--out", dir.toString(), "--name", "b");
        assertEquals("0", r[0], r[1]);
        String md = Files.readString(dir.resolve("b.md"));
        assertTrue(md.contains("whole 8x8 blocks"), md);
        assertTrue(md.matches("(?s).*fc1.weight sparse in (8|16)x(8|16) blocks.*"), md);
    }
}
