package org.prune4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.prune4j.backend.Op;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.DenseGemm;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.backend.cpu.OpenBlasGemm;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.io.Smtx;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * CPU CSR SpMM against the CPU dense GEMMs on one shape, over a list of sparsities, and on
 * DLMC matrices. Every sparse result is checked against the dense product of the same
 * (masked) weight before its time counts; one that disagrees becomes a row saying so and the
 * run goes on. Each result goes to the {@link Listener} as soon as it is measured.
 */
public final class SpmmCrossoverBench {

    /** What to run. */
    public record Config(int m, int k, int n, double[] sparsities, int warmup, int runs, long seed, Path dlmcDir,
            int dlmcN) {
        public Config {
            if (m < 1 || k < 1 || n < 1) {
                throw new IllegalArgumentException("shape must be positive, got m=" + m + " k=" + k + " n=" + n);
            }
            for (double s : sparsities) {
                if (!(s >= 0 && s < 1)) {
                    throw new IllegalArgumentException("sparsity " + s + " must be in [0, 1): a fraction, e.g. 0.9");
                }
            }
            if (runs < 1 || warmup < 0) {
                throw new IllegalArgumentException("need runs >= 1 and warmup >= 0");
            }
        }
    }

    /** One dense baseline. */
    public record DenseResult(String gemm, Timing timing, double gflops) {
    }

    /** One sparse measurement; status "ok", or "mismatch" (not timed) with the reason in note. */
    public record SparseResult(String matrix, int m, int k, int n, double sparsity, long nnz, Timing timing,
            double usefulGflops, double denseBestMs, double denseJavaMs, double relError, String status, String note) {
        public boolean ok() {
            return status.equals("ok");
        }

        public double speedupVsBestDense() {
            return denseBestMs / timing.medianMs();
        }

        public double speedupVsJavaDense() {
            return denseJavaMs / timing.medianMs();
        }
    }

    /** Everything one run measured. */
    public record Result(Config config, double measuredPeakGflops, List<DenseResult> dense, List<SparseResult> sweep,
            List<SparseResult> dlmc) {
    }

    /** Hears each result the moment it is measured ({@code dlmc} tells the DLMC rows from the sweep's). */
    public interface Listener {
        void dense(DenseResult d);

        void sparse(SparseResult s, boolean dlmc);
    }

    private final Config config;
    private final java.util.function.Consumer<String> progress;

    public SpmmCrossoverBench(Config config, java.util.function.Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    public Result run() throws IOException {
        return run(new Listener() {
            @Override
            public void dense(DenseResult d) {
            }

            @Override
            public void sparse(SparseResult s, boolean dlmc) {
            }
        });
    }

    public Result run(Listener listener) throws IOException {
        Rng rng = new Rng(config.seed());
        // every input is read and checked before the first measurement, so a malformed file fails the run at once
        // instead of after the matrices before it were timed
        List<Path> files = config.dlmcDir() == null ? List.of() : smtxFiles(config.dlmcDir());
        List<CsrMatrix> matrices = new ArrayList<>();
        for (Path f : files) {
            try {
                matrices.add(Smtx.read(f, rng.split(f.toString().hashCode())));
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot use DLMC matrix " + e.getMessage() + "; nothing was measured. Fix or "
                        + "remove it, or pass --no-dlmc", e);
            }
        }
        progress.accept("measuring the FMA peak");
        double peak = FmaPeak.measureGflops();
        List<DenseGemm> gemms = new ArrayList<>();
        gemms.add(new JavaGemm());
        OpenBlasGemm.load().gemm().ifPresent(gemms::add);

        int m = config.m(), k = config.k(), n = config.n();
        Tensor w = Tensor.uniform(rng.split(1), -1f, 1f, m, k);
        Tensor x = Tensor.uniform(rng.split(2), -1f, 1f, k, n);
        List<DenseResult> dense = new ArrayList<>();
        for (DenseGemm g : gemms) {
            progress.accept("dense " + g.name() + " " + m + "x" + k + " * " + k + "x" + n);
            Tensor y = Tensor.zeros(m, n);
            CpuBackend b = new CpuBackend(g);
            Timing t = Timing.measure(() -> b.gemm(Op.N, Op.N, 1f, w, x, 0f, y), config.warmup(), config.runs());
            DenseResult d = new DenseResult(g.name(), t, t.gflops(2.0 * m * k * n));
            dense.add(d);
            listener.dense(d);
        }
        double[] denseMs = dense.stream().mapToDouble(d -> d.timing().medianMs()).toArray();
        int fastest = fastest(denseMs);
        double javaMs = denseMs[0];
        double bestMs = denseMs[fastest];
        DenseGemm best = gemms.get(fastest);

        List<SparseResult> sweep = new ArrayList<>();
        for (double s : config.sparsities()) {
            progress.accept(String.format("csr %.0f%% sparse", 100 * s));
            Mask mask = Mask.randomExact(m, k, 1.0 - s, rng.split(100 + sweep.size()));
            CsrMatrix csr = CsrMatrix.fromDense(w, mask);
            SparseResult r = measureSparse("random " + m + "x" + k, csr, x, best, bestMs, javaMs);
            sweep.add(r);
            listener.sparse(r, false);
        }

        List<SparseResult> dlmc = new ArrayList<>();
        if (config.dlmcDir() != null) {
            for (int fi = 0; fi < files.size(); fi++) {
                Path f = files.get(fi);
                progress.accept("dlmc " + config.dlmcDir().relativize(f));
                CsrMatrix csr = matrices.get(fi);
                Tensor xd = Tensor.uniform(rng.split(7), -1f, 1f, csr.cols(), config.dlmcN());
                Tensor wd = csr.toDense();
                Tensor yd = Tensor.zeros(csr.rows(), config.dlmcN());
                double[] dms = new double[gemms.size()];
                for (int i = 0; i < gemms.size(); i++) {
                    CpuBackend b = new CpuBackend(gemms.get(i));
                    dms[i] = Timing.measure(() -> b.gemm(Op.N, Op.N, 1f, wd, xd, 0f, yd), config.warmup(),
                            config.runs()).medianMs();
                }
                int bi = fastest(dms);
                SparseResult r = measureSparse(config.dlmcDir().relativize(f).toString(), csr, xd, gemms.get(bi),
                        dms[bi], dms[0]);
                dlmc.add(r);
                listener.sparse(r, true);
            }
        }
        return new Result(config, peak, dense, sweep, dlmc);
    }

    private SparseResult measureSparse(String name, CsrMatrix csr, Tensor x, DenseGemm reference, double bestMs,
            double javaMs) {
        int n = x.cols();
        CpuBackend cpu = new CpuBackend(reference);
        Tensor y = Tensor.filled(Float.NaN, csr.rows(), n);
        Tensor want = Tensor.zeros(csr.rows(), n);
        cpu.gemm(Op.N, Op.N, 1f, csr.toDense(), x, 0f, want);
        cpu.spmm(csr, Op.N, x, y);
        double err = RelativeError.frobenius(y.data(), want.data());
        if (!(err < 1e-4)) {
            progress.accept("CSR SpMM on " + name + " disagrees with the dense product (relative error " + err
                    + "); not timing it");
            Timing none = new Timing(Double.NaN, Double.NaN, Double.NaN, 0);
            return new SparseResult(name, csr.rows(), csr.cols(), n, csr.sparsity(), csr.nnz(), none, Double.NaN, bestMs,
                    javaMs, err, "mismatch", "relative error " + err + " against the dense product exceeds 1e-4");
        }
        Timing t = Timing.measure(() -> cpu.spmm(csr, Op.N, x, y), config.warmup(), config.runs());
        return new SparseResult(name, csr.rows(), csr.cols(), n, csr.sparsity(), csr.nnz(), t,
                t.gflops(2.0 * csr.nnz() * n), bestMs, javaMs, err, "ok", "");
    }

    private static int fastest(double[] ms) {
        int best = 0;
        for (int i = 1; i < ms.length; i++) {
            if (ms[i] < ms[best]) {
                best = i;
            }
        }
        return best;
    }

    private static List<Path> smtxFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("DLMC folder " + dir + " does not exist; pass --dlmc DIR or --no-dlmc");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".smtx")).sorted().toList();
        }
    }

    /**
     * The sparsity at which CSR first beats {@code denseMs}, interpolated linearly in time
     * between the two measured sparsities that bracket it; NaN if it never does.
     */
    public static double crossover(List<SparseResult> measured, double denseMs) {
        List<SparseResult> sweep = measured.stream().filter(SparseResult::ok).toList();
        for (int i = 0; i < sweep.size(); i++) {
            SparseResult r = sweep.get(i);
            if (r.timing().medianMs() < denseMs) {
                if (i == 0) {
                    return r.sparsity();
                }
                SparseResult p = sweep.get(i - 1);
                double t0 = p.timing().medianMs(), t1 = r.timing().medianMs();
                double f = (t0 - denseMs) / (t0 - t1);
                return p.sparsity() + f * (r.sparsity() - p.sparsity());
            }
        }
        return Double.NaN;
    }
}
