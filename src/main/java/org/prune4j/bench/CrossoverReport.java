package org.prune4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.prune4j.backend.cpu.CpuInfo;

/** Writes a {@link SpmmCrossoverBench.Result} as markdown (for people) and CSV (for tools). */
public final class CrossoverReport {
    private CrossoverReport() {
    }

    public static void write(SpmmCrossoverBench.Result r, String command, Path dir, String baseName)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(baseName + ".md"), markdown(r, command));
        Files.writeString(dir.resolve(baseName + ".csv"), csv(r));
    }

    /** The markdown only: the CSV was streamed row by row (see {@link ResultsCsv}). */
    public static void writeMarkdown(SpmmCrossoverBench.Result r, String command, Path dir, String baseName)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(baseName + ".md"), markdown(r, command));
    }

    public static String markdown(SpmmCrossoverBench.Result r, String command) {
        CpuInfo cpu = CpuInfo.probe();
        var c = r.config();
        StringBuilder s = new StringBuilder();
        s.append("# CPU CSR SpMM vs dense GEMM\n\n");
        s.append(String.format(Locale.ROOT, "- date: %s%n- machine: %s, %d cores, %d-bit SIMD (%d fp32 lanes), %.2f GHz"
                + " (%s)%n- peak: nominal %.1f GFLOP/s = cores x lanes x 2 (FMA) x clock; measured %.1f GFLOP/s with all"
                + " cores running independent FMA chains (FmaPeak)%n- java: %s%n- command: `%s`%n"
                + "- timing: median of %d runs after %d warm-up runs; inputs uniform in [-1, 1); every sparse result"
                + " checked against the dense product of the same weight (relative Frobenius error column)%n%n",
                LocalDate.now(), cpu.model(), cpu.cores(), cpu.vectorBits(), cpu.floatLanes(), cpu.clockGHz(),
                cpu.clockSource(), cpu.peakGflops(), r.measuredPeakGflops(), Runtime.version(), command, c.runs(),
                c.warmup()));
        s.append(String.format(Locale.ROOT, "## Dense baselines, %dx%d * %dx%d%n%n", c.m(), c.k(), c.k(), c.n()));
        s.append("| dense gemm | median ms | min ms | max ms | GFLOP/s | of nominal peak | of measured FMA peak |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (var d : r.dense()) {
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f | %.1f%% | %.1f%% |%n",
                    d.gemm(), d.timing().medianMs(), d.timing().minMs(), d.timing().maxMs(), d.gflops(),
                    100 * d.gflops() / cpu.peakGflops(), 100 * d.gflops() / r.measuredPeakGflops()));
        }
        double best = r.dense().stream().mapToDouble(d -> d.timing().medianMs()).min().orElseThrow();
        double java = r.dense().get(0).timing().medianMs();
        s.append(String.format(Locale.ROOT, "%n## CSR SpMM, random unstructured masks, %dx%d * %dx%d%n%n", c.m(),
                c.k(), c.k(), c.n()));
        sparseTable(s, r.sweep(), r.dense().size() > 1);
        double xBest = SpmmCrossoverBench.crossover(r.sweep(), best);
        double xJava = SpmmCrossoverBench.crossover(r.sweep(), java);
        s.append(String.format(Locale.ROOT, "%nCrossover (CSR faster than dense, interpolated between measured"
                + " sparsities): vs the best dense (%s): %s; vs the Java gemm: %s.%n",
                r.dense().stream().min((a, b) -> Double.compare(a.timing().medianMs(), b.timing().medianMs()))
                        .orElseThrow().gemm(), pct(xBest), pct(xJava)));
        if (!r.dlmc().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n## DLMC matrices (real pruned patterns, values drawn), N = %d%n%n",
                    c.dlmcN()));
            sparseTable(s, r.dlmc(), r.dense().size() > 1);
        }
        return s.toString();
    }

    private static String pct(double x) {
        return Double.isNaN(x) ? "never in the measured range" : String.format(Locale.ROOT, "%.1f%% sparsity", 100 * x);
    }

    private static void sparseTable(StringBuilder s, List<SpmmCrossoverBench.SparseResult> rows, boolean hasBlas) {
        s.append("| matrix | shape | sparsity | nnz | CSR ms | useful GFLOP/s | dense best ms | speedup vs best dense"
                + " | speedup vs Java gemm | rel. error |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var x : rows) {
            if (!x.ok()) {
                s.append(String.format(Locale.ROOT, "| %s | %dx%d * %dx%d | %.1f%% | %d | %s: %s | | | | | %.1e |%n",
                        x.matrix(), x.m(), x.k(), x.k(), x.n(), 100 * x.sparsity(), x.nnz(), x.status(), x.note(),
                        x.relError()));
                continue;
            }
            s.append(String.format(Locale.ROOT, "| %s | %dx%d * %dx%d | %.1f%% | %d | %.2f | %.1f | %.2f | %.2fx | %.2fx"
                    + " | %.1e |%n", x.matrix(), x.m(), x.k(), x.k(), x.n(), 100 * x.sparsity(), x.nnz(),
                    x.timing().medianMs(), x.usefulGflops(), x.denseBestMs(), x.speedupVsBestDense(),
                    x.speedupVsJavaDense(), x.relError()));
        }
    }

    public static final String CSV_HEADER = "kind,name,m,k,n,sparsity,nnz,median_ms,min_ms,max_ms,gflops,"
            + "dense_best_ms,dense_java_ms,rel_error,status,note";

    public static String csv(SpmmCrossoverBench.Result r) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        var c = r.config();
        for (var d : r.dense()) {
            s.append(denseRow(c, d)).append('\n');
        }
        for (var list : List.of(r.sweep(), r.dlmc())) {
            for (var x : list) {
                s.append(sparseRow(x, list == r.dlmc())).append('\n');
            }
        }
        return s.toString();
    }

    /** One dense baseline as a CSV line (no newline). */
    public static String denseRow(SpmmCrossoverBench.Config c, SpmmCrossoverBench.DenseResult d) {
        return String.format(Locale.ROOT, "dense,\"%s\",%d,%d,%d,0,%d,%.4f,%.4f,%.4f,%.3f,,,,ok,", d.gemm(), c.m(), c.k(),
                c.n(), (long) c.m() * c.k(), d.timing().medianMs(), d.timing().minMs(), d.timing().maxMs(), d.gflops());
    }

    /** One sparse result as a CSV line (no newline). */
    public static String sparseRow(SpmmCrossoverBench.SparseResult x, boolean dlmc) {
        return String.format(Locale.ROOT, "%s,\"%s\",%d,%d,%d,%.5f,%d,%.4f,%.4f,%.4f,%.3f,%.4f,%.4f,%.3e,%s,%s",
                dlmc ? "csr-dlmc" : "csr", x.matrix(), x.m(), x.k(), x.n(), x.sparsity(), x.nnz(), x.timing().medianMs(),
                x.timing().minMs(), x.timing().maxMs(), x.usefulGflops(), x.denseBestMs(), x.denseJavaMs(),
                x.relError(), x.status(), ResultsCsv.field(x.note()));
    }
}
