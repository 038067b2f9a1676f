package org.prune4j.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.DenseGemm;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.backend.cpu.OpenBlasGemm;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.KernelFailure;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.backend.cuda.KernelTimer;
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
 * data from cache; values are drawn away from zero. With a GPU, every row also gets its GPU
 * rows ({@link GpuSweepRows}: the kernel named in each row is the one that ran). Each result
 * goes to the sink as soon as it is measured; a kernel that disagrees or fails becomes a row
 * saying so and the sweep goes on. {@code gpuOnly} leaves the CPU timings out (the checks then
 * use cuBLAS fp32 on the masked weight as the reference): the bounded sweep of a short GPU
 * window.
 */
public final class BenchSweep {

    /** What to sweep; {@code gpuKernels} limits the GPU rows to some kernel families. */
    public record Config(List<Workload> workloads, List<Structure> structures, double[] sparsities,
            List<String> precisions, int warmup, int runs, long seed, long cacheBytes, boolean gpuOnly,
            Set<KernelFamily> gpuKernels) {
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
            gpuKernels = gpuKernels == null ? EnumSet.allOf(KernelFamily.class) : Set.copyOf(gpuKernels);
        }

        public Config(List<Workload> workloads, List<Structure> structures, double[] sparsities, List<String> precisions,
                int warmup, int runs, long seed, long cacheBytes) {
            this(workloads, structures, sparsities, precisions, warmup, runs, seed, cacheBytes, false, null);
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
        return run(r -> {
        });
    }

    /** Runs the sweep; every result also goes to {@code sink} the moment it is measured. */
    public Report run(Consumer<SweepResult> sink) {
        double peak = Double.NaN, bw = Double.NaN;
        if (!config.gpuOnly()) {
            progress.accept("measuring the FMA peak and memory bandwidth");
            peak = FmaPeak.measureGflops();
            bw = MemoryBandwidth.measureGBs(256);
        }
        List<String> skipped = new ArrayList<>(unavailable());
        List<SweepResult> results = new ArrayList<>();
        Consumer<SweepResult> both = r -> {
            results.add(r);
            sink.accept(r);
        };
        CudaBackend gpu = openGpu(skipped);
        KernelTimer timer = null;
        GpuSweepRows gpuRows = null;
        double gpuPeak = Double.NaN, gpuBw = Double.NaN;
        String gpuName = "none";
        try {
            if (gpu != null) {
                timer = new KernelTimer(gpu, config.warmup(), config.runs());
                gpuName = gpu.description();
                Map<String, Double> peaks = gpuPeaks(timer, skipped);
                gpuPeak = peaks.getOrDefault("fp32", Double.NaN);
                gpuBw = gpuBandwidth(timer, skipped);
                gpuRows = new GpuSweepRows(gpu, timer, config.gpuKernels(), config.precisions(), peaks, gpuBw, progress);
            } else if (config.gpuOnly()) {
                skipped.add("--gpu-only without a usable GPU: nothing measured");
            }
            List<DenseGemm> gemms = new ArrayList<>();
            if (!config.gpuOnly()) {
                OpenBlasGemm.load().gemm().ifPresent(gemms::add);
                gemms.add(new JavaGemm());
                progress.accept("warming up the JIT on every kernel");
                warmUp(gemms);
            }
            Rng rng = new Rng(config.seed());
            int wi = 0;
            for (Workload w : config.workloads()) {
                wi++;
                if (gemms.isEmpty() && gpuRows == null) {
                    break;
                }
                progress.accept(String.format("[%d/%d] %s", wi, config.workloads().size(), w));
                measure(w, gemms, gpuRows, timer, rng.split(wi), peak, bw, both);
            }
            if (gpuRows != null) {
                skipped.addAll(gpuRows.notes());
            }
        } finally {
            if (timer != null) {
                timer.close();
            }
            if (gpu != null) {
                gpu.close();
            }
        }
        String cpu = org.prune4j.backend.cpu.CpuInfo.probe().model() + ", " + Runtime.getRuntime().availableProcessors()
                + " threads";
        return new Report(java.time.LocalDate.now().toString(), machine(), cpu, peak, bw, gpuName, gpuPeak, gpuBw,
                results, skipped);
    }

    /** cuBLAS's rate on a 4096^3 product per precision: the GPU rows' roofline peaks. */
    private Map<String, Double> gpuPeaks(KernelTimer timer, List<String> skipped) {
        Map<String, Double> peaks = new java.util.HashMap<>();
        if (!config.gpuKernels().contains(KernelFamily.CUBLAS)) {
            return peaks;
        }
        progress.accept("measuring the GPU's cuBLAS rates (4096^3) and copy bandwidth");
        Tensor a = awayFromZero(new Rng(3), 4096, 4096), b = awayFromZero(new Rng(4), 4096, 4096);
        for (String p : List.of("fp32", "tf32", "bf16")) {
            if (!p.equals("fp32") && !config.precisions().contains(p)) {
                continue;
            }
            try {
                KernelTimer.Run r = switch (p) {
                    case "tf32" -> timer.denseTf32(a, b);
                    case "bf16" -> timer.denseBf16(a, b);
                    default -> timer.denseFp32(a, b, true);
                };
                peaks.put(p, Timing.of(r.ms()).gflops(2.0 * 4096 * 4096 * 4096));
            } catch (RuntimeException e) {
                skipped.add("GPU " + p + " peak not measured: " + KernelFailure.of(e).brief() + ": " + e.getMessage());
            }
        }
        return peaks;
    }

    private double gpuBandwidth(KernelTimer timer, List<String> skipped) {
        try {
            return timer.copyBandwidthGBs();
        } catch (RuntimeException e) {
            skipped.add("GPU copy bandwidth not measured: " + e.getMessage());
            return Double.NaN;
        }
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
            if (!p.equals("fp32") && !config.gpuOnly()) {
                out.add(p + ": the CPU backend computes in fp32 only, so " + p + " appears in GPU rows alone");
            }
        }
        return out;
    }

    /** The project's CUDA backend, which also reaches cuBLAS, cuSPARSE and cuSPARSELt; null (and why) when none. */
    private static CudaBackend openGpu(List<String> skipped) {
        try {
            Backend b = Backends.open("cuda");
            if (b instanceof CudaBackend c) {
                return c;
            }
            b.close();
            skipped.add("gpu: 'cuda' did not open a CUDA backend");
        } catch (RuntimeException e) {
            skipped.add("gpu: " + e.getMessage());
        }
        return null;
    }

    private void measure(Workload w, List<DenseGemm> gemms, GpuSweepRows gpu, KernelTimer timer, Rng rng, double peak,
            double bw, Consumer<SweepResult> sink) {
        int m = w.m(), k = w.k(), n = w.n();
        Tensor weight = awayFromZero(rng.split(1), m, k);
        long perCopy = 4L * ((long) k * n + (long) m * n);
        int copies = (int) Math.max(1, Math.min(8, (2 * config.cacheBytes() + perCopy - 1) / perCopy));
        Tensor[] xs = new Tensor[copies], ys = new Tensor[copies];
        for (int i = 0; i < copies; i++) {
            xs[i] = awayFromZero(rng.split(10 + i), k, n);
            ys[i] = gemms.isEmpty() ? null : Tensor.zeros(m, n);
        }
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
            sink.accept(result(w, "dense", 0, "cpu dense " + g.name().split(" ")[0], (long) m * k, t, w.denseFlops(),
                    denseBytes, peak, bw, baseline, baselineMs, 0));
        }
        CpuBackend ref = gemms.isEmpty() ? null : new CpuBackend(gemms.get(0));
        if (gpu != null) {
            gpu.dense(w, weight, xs[0], reference(ref, timer, weight, xs[0]), sink);
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
                Tensor masked = mask.apply(weight);
                float[] want = reference(ref, timer, masked, xs[0]);
                if (ref != null) {
                    Tensor got = Tensor.filled(Float.NaN, m, n);
                    ref.spmm(a, Op.N, xs[0], got);
                    double err = RelativeError.frobenius(got.data(), want);
                    double flops = 2.0 * mask.keptCount() * n;
                    if (!(err < 1e-4)) {
                        sink.accept(failed(w, s.label(), sp, "cpu sparse", mask.keptCount(), "mismatch", String.format(
                                java.util.Locale.ROOT, "relative error %.3g against the dense product exceeds 1e-4; not"
                                        + " timed", err)));
                    } else {
                        Timing t = timed(i -> ref.spmm(a, Op.N, xs[i % copies], ys[i % copies]));
                        sink.accept(result(w, s.label(), sp, "cpu sparse", mask.keptCount(), t, flops,
                                bytes(a, k, n, 4), peak, bw, baseline, baselineMs, err));
                    }
                }
                if (gpu != null) {
                    gpu.sparse(w, s, sp, mask, a, weight, xs[0], want, sink);
                }
            }
        }
    }

    /** The fp32 product of the (masked) weight: on the CPU when CPU rows run, else cuBLAS (null when neither can). */
    private float[] reference(CpuBackend cpu, KernelTimer timer, Tensor weight, Tensor x) {
        if (cpu != null) {
            Tensor want = Tensor.zeros(weight.rows(), x.cols());
            cpu.gemm(Op.N, Op.N, 1f, weight, x, 0f, want);
            return want.data();
        }
        if (timer == null || KernelFailure.contextLost().isPresent()) {
            return null;
        }
        try {
            return timer.cublasReference(weight, x, false);
        } catch (RuntimeException e) {
            progress.accept("  no cuBLAS reference: " + KernelFailure.of(e).brief());
            return null;
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
                baseline, baselineMs, baselineMs / t.medianMs(), err, Double.NaN, "ok", "");
    }

    private static SweepResult failed(Workload w, String structure, double sparsity, String backend, long nnz,
            String status, String note) {
        return new SweepResult(w.family(), w.name(), w.m(), w.k(), w.n(), structure, sparsity, "fp32", backend, nnz,
                Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, status, note);
    }

    /**
     * Bytes that must move: stored values ({@code valueBytes} each, as X's elements) and their
     * indices, activations read, fp32 outputs written.
     */
    static double bytes(SparseMatrix a, int k, int n, int valueBytes) {
        double index = switch (a) {
            case CsrMatrix c -> 4.0 * c.nnz() + 4.0 * (c.rows() + 1);
            case BsrMatrix b -> 4.0 * b.blockCount() + 4.0 * (b.blockRowPtr().length);
            case TwoFourMatrix t -> 2.0 * t.metadata().length;
            case NmMatrix nm -> nm.storedValues();
            case CompactedMatrix c -> 4.0 * c.keptRows().length;
        };
        return (double) valueBytes * a.storedValues() + index + (double) valueBytes * k * n + 4.0 * a.rows() * n;
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
