package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.cuda.CudaProbe;
import org.prune4j.backend.cuda.smoke.GpuSmoke;

/**
 * The GPU commands on a host without a GPU (CI and every development machine): each ends at
 * once with a plain reason, and none of them replaces an earlier result with nothing.
 */
class GpuCommandsWithoutGpuTest {
    @TempDir
    Path dir;

    @BeforeEach
    void onlyWithoutAGpu() {
        assumeFalse(CudaProbe.probe().usable(), "a GPU is present: these are the no-GPU behaviours");
    }

    private static String[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {"" + code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void tcbenchSaysWhatIsMissingAndLeavesAnEarlierTableAlone() throws Exception {
        Path csv = dir.resolve("tensor-cores.csv");
        Files.writeString(csv, "earlier\n");
        String[] r = run("tcbench", "--out", dir.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("backend 'cuda' cannot run here") && r[2].contains("no CUDA driver"), r[2]);
        assertEquals("earlier\n", Files.readString(csv));
        assertFalse(Files.exists(dir.resolve("tensor-cores.csv.partial")), "nothing was started");
    }

    @Test
    void aGpuOnlySweepWithoutAGpuMeasuresNothingAndOverwritesNothing() throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "earlier\n");
        String[] r = run("bench", "--gpu-only", "--quick", "--out", dir.toString(), "--name", "s");
        assertEquals("3", r[0], r[2]);
        assertTrue(r[2].contains("measured nothing") && r[2].contains("no CUDA driver"), r[2]);
        assertEquals("earlier\n", Files.readString(csv));
        assertFalse(Files.exists(dir.resolve("s.json")));
    }

    @Test
    void theSmokeStepGivesEveryKernelALineAndPasses() throws Exception {
        Path out = dir.resolve("smoke.txt");
        String[] r = run("gpu-smoke", "--out", out.toString());
        assertEquals("0", r[0], "skips are not failures");
        List<String> lines = Files.readAllLines(out).subList(1, Files.readAllLines(out).size());
        long expected = GpuSmoke.families(false).size();
        assertEquals(expected, lines.stream().map(l -> l.split("\\s+")[0]).distinct().count(), "every family");
        assertTrue(lines.stream().allMatch(l -> l.split("\\s+")[2].equals("skip")), String.join("\n", lines));
        assertTrue(r[1].contains("0 of " + lines.size() + " kernels passed"), r[1]);
    }

    @Test
    void doctorSaysTheStartUpCheckRefusedAndWhy() {
        String[] r = run("doctor");
        assertTrue(r[1].contains("startup    refused: no CUDA driver"), r[1]);
    }
}
