package org.prune4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.DenseGemm;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.backend.cpu.OpenBlasGemm;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.NmMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The benchmark sweep: for each workload, the dense GEMMs (the vendor baseline first), then
 * every structure at every sparsity on the sparse kernels, each checked against the dense
 * product of the same masked weight before its time counts. Activations and outputs rotate
 * through enough copies to exceed the last-level cache, so no run reads the previous run's
 * data from cache; values are drawn away from zero.
 */
public final class BenchSweep {

    /** What to sweep. */
    public record Config(List<Workload> workloads, List<Structure> structures, double[] sparsities,
            List<String> precisions, int warmup, int runs, long seed, long cacheBytes) {
        public Config {
            if (runs < 1 || warmup < 0) {
                throw new IllegalArgumentException("need runs >= 1 and warmup >= 0");
            }
            for (double s : sparsities) {
                if (!(s >= 0 && s < 1)) {
                    throw new IllegalArgumentException("sparsity " + s + " must be in [0, 1)");
                }
            }
            workloads = List.copyOf(workloads);
            structures = List.copyOf(structures);
            precisions = List.copyOf(precisions);
        }
    }

    /** Everything measured, plus what could not be and why. */
    public record Report(String date, String machine, String cpu, double peakGflops, double bandwidthGBs,
            String gpu, double gpuPeakGflops, double gpuBandwidthGBs, List<SweepResult> results, List<String> skipped) {
    }

    private final Config config;
    private final Consumer<String> progress;

    public BenchSweep(Config config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    public Report run() {
        progress.accept("measuring the FMA peak and memory bandwidth");
        double peak = FmaPeak.measureGflops();
        double bw = MemoryBandwidth.measureGBs(256);
        List<String> skipped = new ArrayList<>(unavailable());
        List<CudaBackend> gpus = openGpus(skipped);
        double gpuPeak = Double.NaN, gpuBw = Double.NaN;
        String gpuName = "none";
        if (!gpus.isEmpty()) {
            progress.accept("measuring the GPU's copy bandwidth and SGEMM rate");
            CudaBackend g = gpus.stream().filter(CudaBackend::denseIsVendor).findFirst().orElse(gpus.get(0));
            gpuBw = g.copyBandwidthGBs();
            Tensor a = awayFromZero(new Rng(3), 4096, 4096), b = awayFromZero(new Rng(4), 4096, 4096);
            Timing t = Timing.of(g.timeGemm(a, b, Tensor.zeros(4096, 4096), 3, 10, 2 * g.l2Bytes()));
            gpuPeak = t.gflops(2.0 * 4096 * 4096 * 4096);
            gpuName = g.description();
        }
        List<DenseGemm> gemms = new ArrayList<>();
        OpenBlasGemm.load().gemm().ifPresent(gemms::add);
        gemms.add(new JavaGemm());
        progress.accept("warming up the JIT on every kernel");
        warmUp(gemms);
        List<SweepResult> results = new ArrayList<>();
        Rng rng = new Rng(config.seed());
        int wi = 0;
        for (Workload w : config.workloads()) {
            wi++;
            progress.accept(String.format("[%d/%d] %s", wi, config.workloads().size(), w));
            results.addAll(measure(w, gemms, gpus, rng.split(wi), peak, bw, gpuPeak, gpuBw));
        }
        gpus.forEach(CudaBackend::close);
        String cpu = org.prune4j.backend.cpu.CpuInfo.probe().model() + ", " + Runtime.getRuntime().availableProcessors()
                + " threads";
        return new Report(java.time.LocalDate.now().toString(), machine(), cpu, peak, bw, gpuName, gpuPeak, gpuBw, results,
                skipped);
    }

    /**
     * Runs every kernel on a mid-sized product until C2 has compiled it: without this the first
     * workload's Java GEMM measured 30x slower than its steady state.
     */
    private void warmUp(List<DenseGemm> gemms) {
        Rng rng = new Rng(7);
        Tensor w = awayFromZero(rng, 192, 256), x = awayFromZero(rng.split(1), 256, 96), y = Tensor.zeros(192, 96);
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            for (DenseGemm g : gemms) {
                new CpuBackend(g).gemm(Op.N, Op.N, 1f, w, x, 0f, y);
            }
            CpuBackend b = new CpuBackend(gemms.get(0));
            for (Structure s : config.structures()) {
                SparseMatrix a = s.build(w, s.mask(192, 256, 0.5, rng));
                b.spmm(a, Op.N, x, y);
            }
        }
    }

    private List<String> unavailable() {
        List<String> out = new ArrayList<>();
        for (String p : config.precisions()) {
            if (!p.equals("fp32")) {
                out.add(p + ": the CPU backend computes in fp32, and the GPU's tensor-core (tf32, bf16) kernels are "
                        + "not in this build yet");
            }
        }
        out.add("cuSPARSELt: not bound in this build yet");
        return out;
    }

    /** Every CUDA backend that opens (own kernels, cuBLAS, cuSPARSE); why not for the others. */
    private static List<CudaBackend> openGpus(List<String> skipped) {
        List<CudaBackend> out = new ArrayList<>();
        for (String name : List.of("cuda", "cublas", "cusparse")) {
            try {
                Backend b = Backends.open(name);
                if (b instanceof CudaBackend c) {
                    out.add(c);
                } else {
                    b.close();
                }
            } catch (RuntimeException e) {
                skipped.add(name + ": " + e.getMessage());
            }
        }
        return out;
    }

    private List<SweepResult> measure(Workload w, List<DenseGemm> gemms, List<CudaBackend> gpus, Rng rng, double peak,
            double bw, double gpuPeak, double gpuBw) {
        int m = w.m(), k = w.k(), n = w.n();
        Tensor weight = awayFromZero(rng.split(1), m, k);
        long perCopy = 4L * ((long) k * n + (long) m * n);
        int copies = (int) Math.max(1, Math.min(8, (2 * config.cacheBytes() + perCopy - 1) / perCopy));
        Tensor[] xs = new Tensor[copies], ys = new Tensor[copies];
        for (int i = 0; i < copies; i++) {
            xs[i] = awayFromZero(rng.split(10 + i), k, n);
            ys[i] = Tensor.zeros(m, n);
        }
        List<SweepResult> out = new ArrayList<>();
        double baselineMs = Double.NaN;
        String baseline = null;
        double denseBytes = 4.0 * ((double) m * k + (double) k * n + (double) m * n);
        for (DenseGemm g : gemms) {
            CpuBackend b = new CpuBackend(g);
            Timing t = timed(i -> b.gemm(Op.N, Op.N, 1f, weight, xs[i % copies], 0f, ys[i % copies]));
            if (baseline == null) {
                baseline = "cpu dense " + g.name().split(" ")[0];
                baselineMs = t.medianMs();
            }
            out.add(result(w, "dense", 0, "cpu dense " + g.name().split(" ")[0], (long) m * k, t, w.denseFlops(),
                    denseBytes, peak, bw, baseline, baselineMs, 0));
        }
        CpuBackend ref = new CpuBackend(gemms.get(0));
        Tensor denseWant = Tensor.zeros(m, n);
        ref.gemm(Op.N, Op.N, 1f, weight, xs[0], 0f, denseWant);
        String gpuBaseline = null;
        double gpuBaselineMs = Double.NaN;
        for (CudaBackend g : gpus.stream().filter(g -> !g.sparseIsVendor()).sorted(
                java.util.Comparator.comparing(g -> !g.denseIsVendor())).toList()) {
            Tensor got = Tensor.filled(Float.NaN, m, n);
            Timing t = Timing.of(g.timeGemm(weight, xs[0], got, config.warmup(), config.runs(), 2 * g.l2Bytes()));
            double err = RelativeError.frobenius(got.data(), denseWant.data());
            checkGpu(err, g.name() + " dense", w, 0);
            if (gpuBaseline == null) {
                gpuBaseline = "gpu dense " + g.name();
                gpuBaselineMs = t.medianMs();
            }
            out.add(result(w, "dense", 0, "gpu dense " + g.name(), (long) m * k, t, w.denseFlops(), denseBytes, gpuPeak,
                    gpuBw, gpuBaseline, gpuBaselineMs, err));
        }
        List<Structure> structures = w.pattern() != null ? List.of(Structure.CSR) : config.structures();
        for (Structure s : structures) {
            double[] sparsities = w.pattern() != null ? new double[] {w.pattern().sparsity()} : config.sparsities();
            for (double sp : sparsities) {
                if (!s.supports(sp)) {
                    continue;
                }
                Mask mask = w.pattern() != null ? w.pattern()
                        : s.mask(m, k, sp, rng.split(1000 + s.ordinal() * 100 + (int) Math.round(sp * 100)));
                SparseMatrix a = s.build(weight, mask);
                Tensor want = Tensor.zeros(m, n);
                ref.gemm(Op.N, Op.N, 1f, mask.apply(weight), xs[0], 0f, want);
                Tensor got = Tensor.filled(Float.NaN, m, n);
                ref.spmm(a, Op.N, xs[0], got);
                double err = RelativeError.frobenius(got.data(), want.data());
                if (!(err < 1e-4)) {
                    throw new IllegalStateException(s.label() + " SpMM on " + w + " at sparsity " + sp
                            + " disagrees with the dense product (relative error " + err + "); not timing it");
                }
                Timing t = timed(i -> ref.spmm(a, Op.N, xs[i % copies], ys[i % copies]));
                double flops = 2.0 * mask.keptCount() * n;
                out.add(result(w, s.label(), sp, "cpu sparse", mask.keptCount(), t, flops, bytes(a, k, n), peak, bw,
                        baseline, baselineMs, err));
                for (CudaBackend g : gpus.stream().filter(g -> !g.denseIsVendor()).toList()) {
                    Tensor gy = Tensor.filled(Float.NaN, m, n);
                    Timing gt = Timing.of(g.timeSpmm(a, xs[0], gy, config.warmup(), config.runs(), 2 * g.l2Bytes()));
                    double gerr = RelativeError.frobenius(gy.data(), want.data());
                    checkGpu(gerr, g.name() + " " + s.label(), w, sp);
                    out.add(result(w, s.label(), sp, "gpu sparse " + g.name(), mask.keptCount(), gt, flops,
                            bytes(a, k, n), gpuPeak, gpuBw, gpuBaseline, gpuBaselineMs, gerr));
                }
            }
        }
        return out;
    }

    private static void checkGpu(double err, String what, Workload w, double sparsity) {
        if (!(err < 1e-4)) {
            throw new IllegalStateException(what + " on " + w + " at sparsity " + sparsity
                    + " disagrees with the CPU reference (relative error " + err + "); not reporting its time");
        }
    }

    private Timing timed(java.util.function.IntConsumer body) {
        int[] counter = {0};
        return Timing.measure(() -> body.accept(counter[0]++), config.warmup(), config.runs());
    }

    private SweepResult result(Workload w, String structure, double sparsity, String backend, long nnz, Timing t,
            double flops, double bytes, double peak, double bw, String baseline, double baselineMs, double err) {
        double gflops = t.gflops(flops);
        double gbs = bytes / (t.medianMs() * 1e6);
        double intensity = flops / bytes;
        double attainable = Math.min(peak, intensity * bw);
        return new SweepResult(w.family(), w.name(), w.m(), w.k(), w.n(), structure, sparsity, "fp32", backend, nnz,
                t.medianMs(), t.minMs(), t.maxMs(), t.runs(), gflops, bytes, gbs, intensity, gflops / attainable,
                baseline, baselineMs, baselineMs / t.medianMs(), err);
    }

    /** Bytes that must move: stored values and their indices, activations read, outputs written. */
    static double bytes(SparseMatrix a, int k, int n) {
        double index = switch (a) {
            case CsrMatrix c -> 4.0 * c.nnz() + 4.0 * (c.rows() + 1);
            case BsrMatrix b -> 4.0 * b.blockCount() + 4.0 * (b.blockRowPtr().length);
            case TwoFourMatrix t -> 2.0 * t.metadata().length;
            case NmMatrix nm -> nm.storedValues();
            case CompactedMatrix c -> 4.0 * c.keptRows().length;
        };
        return 4.0 * a.storedValues() + index + 4.0 * k * n + 4.0 * a.rows() * n;
    }

    /** The last-level cache size from sysfs, or 32 MiB when it cannot be read. */
    public static long lastLevelCacheBytes() {
        for (int idx = 4; idx >= 2; idx--) {
            try {
                String v = java.nio.file.Files.readString(java.nio.file.Path.of(
                        "/sys/devices/system/cpu/cpu0/cache/index" + idx + "/size")).trim();
                long mult = v.endsWith("K") ? 1024 : v.endsWith("M") ? 1 << 20 : 1;
                return Long.parseLong(v.replaceAll("[^0-9]", "")) * mult;
            } catch (java.io.IOException | NumberFormatException e) {
                // try the next cache level down
            }
        }
        return 32L << 20;
    }

    static Tensor awayFromZero(Rng rng, int rows, int cols) {
        Tensor t = Tensor.uniform(rng, 0.1f, 1f, rows, cols);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (rng.nextBoolean(0.5)) {
                d[i] = -d[i];
            }
        }
        return t;
    }

    private static String machine() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version");
    }
}
