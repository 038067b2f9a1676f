package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/** {@code prune4j infer} runs an exported model at each batch size, and refuses what it cannot use. */
class InferCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
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
    void everyBatchGetsARowAndBadOptionsAreRefused() {
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(1));
        Rng r = new Rng(2);
        for (Parameter p : m.prunable()) {
            p.setMask(Mask.random(p.shape()[0], p.shape()[1], 0.02, r));
        }
        Path f = dir.resolve("sparse.npz");
        ModelFiles.write(m, f);
        String[] out = run("infer", f.toString(), "--batches", "1,7", "--runs", "3", "--backend", "cpu");
        assertEquals("0", out[0], out[2]);
        long rows = out[1].lines().filter(l -> l.startsWith("batch ")).count();
        assertEquals(2, rows, out[1]);
        assertTrue(out[1].contains("batch 7 ") && out[1].contains("examples/s"), out[1]);
        String[] bad = run("infer", f.toString(), "--batches", "0");
        assertTrue(bad[2].contains("--batches takes positive sizes"), bad[2]);
        bad = run("infer", dir.resolve("none.safetensors").toString());
        assertTrue(bad[2].contains("no such file"), bad[2]);
    }
}
