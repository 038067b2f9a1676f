package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;
import org.prune4j.testing.ChildJvm;

/**
 * The benchmarks keep what they measured and never lose inputs silently (issue 13, item 5):
 * rows are on disk as they are measured, a malformed matrix fails the run before the first
 * measurement, and the DLMC matrices are found from the installation wherever the command starts.
 */
class BenchInputsTest {
    @TempDir
    Path tmp;

    private static final String[] SMALL = {"crossover", "--m", "64", "--k", "64", "--n", "16", "--sparsities", "0.5",
        "--runs", "1", "--warmup", "0", "--dlmc-n", "8"};

    private static String[] with(String[] base, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    @Test
    void crossoverStartedOutsideTheProjectStillMeasuresTheDlmcMatrices() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path log = tmp.resolve("crossover.log");
        int code = ChildJvm.run(ChildJvm.cli(elsewhere, "512m", with(SMALL, "--out", tmp.resolve("out").toString(),
                "--name", "x")), log);
        assertEquals(0, code, Files.readString(log));
        long dlmcRows = Files.readAllLines(tmp.resolve("out/x.csv")).stream().filter(l -> l.startsWith("csr-dlmc,"))
                .count();
        assertEquals(DlmcData.find().map(d -> count(d)).orElseThrow(), dlmcRows, "every DLMC matrix, from " + elsewhere);
    }

    private static long count(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".smtx")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMalformedMatrixFailsTheRunBeforeAnythingIsMeasuredOrOverwritten() throws Exception {
        Path dlmc = Files.createDirectories(tmp.resolve("dlmc/sub"));
        Path good = DlmcData.find().orElseThrow();
        try (var s = Files.walk(good)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".smtx")).limit(3).toList()) {
                Files.copy(f, dlmc.resolve(f.getFileName()));
            }
        }
        Files.writeString(dlmc.resolve("zz_broken.smtx"), "4, 4, 2\n0 1 2 2 x\n0 1\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("x.csv"), "earlier,result\n");
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(with(SMALL, "--dlmc", tmp.resolve("dlmc").toString(), "--out", out.toString(), "--name",
                    "x"));
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, err);
        assertTrue(err.contains("zz_broken.smtx:2") && err.contains("nothing was measured"), err);
        assertTrue(!err.contains("[bench] dense"), "it failed before the first measurement: " + err);
        assertEquals("earlier,result\n", Files.readString(out.resolve("x.csv")), "the earlier result is untouched");
    }

    @Test
    void missingDlmcDataIsAnErrorNotASilentSkip() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(with(SMALL, "--dlmc", tmp.resolve("absent").toString(), "--out", tmp.toString()));
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("DLMC folder " + tmp.resolve("absent")
                + " does not exist"), buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBenchKilledMidRunKeepsTheRowsItMeasured() throws Exception {
        Path out = tmp.resolve("bench");
        Path partial = out.resolve("sweep.csv.partial");
        Process p = ChildJvm.cli(tmp, "1g", "bench", "--quick", "--structures", "csr,bsr4,bsr8,2:4", "--runs", "3",
                "--out", out.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("bench.log").toFile())
                .start();
        // generous: on a loaded 2-core machine the child's JIT warm-up alone has taken a minute
        long deadline = System.currentTimeMillis() + 240_000;
        try {
            while (System.currentTimeMillis() < deadline && p.isAlive()
                    && (!Files.exists(partial) || Files.readAllLines(partial).size() < 4)) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "the sweep was still running when killed: " + Files.readString(tmp.resolve(
                    "bench.log")));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> rows = Files.readAllLines(partial);
        assertTrue(rows.size() >= 4 && rows.get(0).startsWith("family,workload"), rows.toString());
        assertTrue(!Files.exists(out.resolve("sweep.csv")), "a cut-short sweep does not pose as a finished one");
    }
}
