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
import org.prune4j.backend.cuda.CudaProbe;

class CliTest {
    @TempDir
    Path dir;

    @Test
    void doctorReportsEverySectionAndSaysPlainlyWhenThereIsNoGpu() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DoctorCommand.report(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        for (String s : List.of("java", "cpu", "SIMD", "openblas", "kernels", "libcusparse.so.12", "auto picks")) {
            assertTrue(out.contains(s), "doctor output lacks '" + s + "':\n" + out);
        }
        if (!CudaProbe.probe().driverLoaded()) {
            assertTrue(out.contains("gpu        none: no CUDA driver"), out);
        }
    }

    @Test
    void smallBenchWritesConsistentMarkdownAndCsv() throws Exception {
        int code = Main.run("crossover", "--m", "96", "--k", "80", "--n", "70", "--sparsities", "0,50%,0.9", "--runs", "2",
                "--warmup", "0", "--no-dlmc", "--out", dir.toString(), "--name", "t");
        assertEquals(0, code);
        List<String> csv = Files.readAllLines(dir.resolve("t.csv"));
        String md = Files.readString(dir.resolve("t.md"));
        long csrRows = csv.stream().filter(l -> l.startsWith("csr,")).count();
        assertEquals(3, csrRows, "one CSV row per sparsity");
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            if (f[0].equals("csr")) {
                double sparsity = Double.parseDouble(f[5]);
                long nnz = Long.parseLong(f[6]);
                assertEquals(Math.round((1 - sparsity) * 96 * 80), nnz, "nnz agrees with sparsity: " + line);
                assertTrue(Double.parseDouble(f[13]) < 1e-4, "checked against dense: " + line);
                assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.1f%% | %d |", 100 * sparsity, nnz)),
                        "markdown has the same row as the CSV: " + line);
            }
        }
        assertTrue(md.contains("Crossover"), md);
    }

    @Test
    void badArgumentsGiveOneClearLineAndExitCode1() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("crossover", "--sparsities", "150", "--no-dlmc", "--out", dir.toString());
        } finally {
            System.setErr(old);
        }
        assertTrue(code != 0, "refused");
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("'150' is outside [0, 1]"), buf.toString());
    }
}
