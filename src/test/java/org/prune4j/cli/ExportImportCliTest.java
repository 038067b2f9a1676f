package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.experiment.Checkpoints;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.train.EvalPoint;
import org.prune4j.tensor.Rng;

/** {@code prune4j export} and {@code import} on a run folder: the file holds the round's network exactly. */
class ExportImportCliTest {
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
    void aRoundIsExportedAndImportedWithItsMasksAndKernels() throws Exception {
        Path runDir = dir.resolve("run");
        Files.createDirectories(runDir.resolve("round-01"));
        Json.PRETTY.writeValue(runDir.resolve("settings.json").toFile(), new ExperimentSettings("train", "lenet300",
                dir.toString(), 100, 0, 0, "adam", 1e-3, 0.9, 0, "constant", 60, 100, 50, 1, null, null, null));
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(7));
        m.parameter("fc1.weight").setMask(Mask.random(300, 784, 0.1, new Rng(8)));
        m.parameter("fc2.weight").setMask(Mask.random(100, 300, 0.5, new Rng(9)));
        Checkpoints.write(runDir.resolve("round-01/main.ckpt"), m.state());
        EvalPoint p = new EvalPoint(0, 0, 0, 0, 0, 0);
        RoundResult r = new RoundResult(1, "main", "test", Map.of(), 0, 0, 0.3, p, p, 0,
                List.of("fc1.weight: density 0.1000 -> CSR SpMM + SDDMM (sparse below 0.2)",
                        "fc2.weight: density 0.5000 -> masked dense GEMM (sparse below 0.2)"), List.of(p));
        Json.PRETTY.writeValue(runDir.resolve("round-01/main.json").toFile(), r);

        Path file = dir.resolve("out/model.npz");
        String[] e = run("export", runDir.toString(), "--out", file.toString());
        assertEquals("0", e[0], e[2]);
        assertTrue(e[1].contains("lenet300 round 1"), e[1]);
        Model back = ModelFiles.read(file);
        for (Parameter q : m.parameters()) {
            assertArrayEquals(q.value().data(), back.parameter(q.name()).value().data(), q.name());
            assertEquals(q.mask(), back.parameter(q.name()).mask(), q.name());
        }
        assertTrue(back.weightedLayers().get(0).sparseKernel(), "fc1 trained on CSR");

        String[] i = run("import", file.toString());
        assertEquals("0", i[0], i[2]);
        assertTrue(i[1].contains("fc1.weight     csr          density 0.10"), i[1]);
        assertTrue(i[1].contains("fc2.weight     masked-dense density 0.50"), i[1]);

        String[] bad = run("export", runDir.toString(), "--out", dir.resolve("m.npz").toString(), "--round", "4");
        assertTrue(bad[2].contains("has no checkpoint for round 4"), bad[2]);
        bad = run("export", runDir.toString(), "--out", dir.resolve("m.npz").toString(), "--input", "3x32x32");
        assertTrue(bad[2].contains("pass --input and --classes"), bad[2]);
        bad = run("import", dir.resolve("missing.safetensors").toString());
        assertTrue(bad[2].contains("missing.safetensors: no such file"), bad[2]);
    }
}
