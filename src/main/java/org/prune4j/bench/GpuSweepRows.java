package org.prune4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.HalfFormat;
import org.prune4j.backend.cuda.KernelFailure;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.backend.cuda.KernelTimer;
import org.prune4j.backend.cuda.TensorCorePrecision;
import org.prune4j.backend.cuda.TwoFourKernel;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The GPU rows of the sweep. Each row runs the kernel its label names on the format its
 * structure names, in the precision of its precision column: CSR on the project's CSR kernel
 * (fp32, bf16) and cuSPARSE (fp32); BSR-16/32 on the project's WMMA kernel (tf32, bf16) and BSR
 * of any square block on cuSPARSE Blocked-ELL (fp32); 2:4 on mma.sp, wgmma.sp (Hopper) and
 * cuSPARSELt (bf16); pruned channels as a dense product of the kept rows (cuBLAS in every
 * precision, the project's SGEMM in fp32). Speedups are over the dense baseline of the same
 * precision on the same shape (cuBLAS; the project's SGEMM when cuBLAS is absent). A structure
 * with no GPU kernel at a precision gets no row, and one note saying so. A kernel that fails
 * becomes a row with the failure; after a fault (the CUDA context is lost) no more GPU rows are
 * attempted and a note says why.
 */
final class GpuSweepRows {
    /** Dense products of the workload's weight per precision: the baseline's label and median time. */
    private record Baseline(String label, double ms) {
    }

    private final CudaBackend gpu;
    private final KernelTimer timer;
    private final Set<KernelFamily> families;
    private final List<String> precisions;
    private final Map<String, Double> peaks;
    private final double bandwidth;
    private final Consumer<String> progress;
    private final Set<String> notes = new LinkedHashSet<>();
    private final Map<String, Baseline> baselines = new LinkedHashMap<>();
    private String lost;

    GpuSweepRows(CudaBackend gpu, KernelTimer timer, Set<KernelFamily> families, List<String> precisions,
            Map<String, Double> peaks, double bandwidth, Consumer<String> progress) {
        this.gpu = gpu;
        this.timer = timer;
        this.families = families;
        this.precisions = precisions.stream().filter(p -> {
            if (p.equals("fp32") || p.equals("tf32") || p.equals("bf16")) {
                return true;
            }
            notes.add(p + ": no GPU rows; the GPU sweep covers fp32, tf32 and bf16 (the fp16 kernels are checked by"
                    + " the GPU suite)");
            return false;
        }).toList();
        this.peaks = peaks;
        this.bandwidth = bandwidth;
        this.progress = progress;
    }

    /** Structures or precisions without a GPU kernel, faults that stopped the GPU rows, and the like. */
    List<String> notes() {
        List<String> out = new ArrayList<>(notes);
        if (lost != null) {
            out.add("GPU rows stopped: the CUDA context was lost to a fault (" + lost + "); run gpu-smoke to see which"
                    + " kernel family faults, and --kernels to leave it out");
        }
        return out;
    }

    /** The dense baselines of one workload, one per precision (and kernel); they also set the speedups' denominators. */
    void dense(Workload w, Tensor weight, Tensor x, float[] reference, Consumer<SweepResult> sink) {
        baselines.clear();
        double flops = w.denseFlops();
        for (String p : precisions) {
            double bytes = (p.equals("bf16") ? 2.0 : 4.0) * ((double) w.m() * w.k() + (double) w.k() * w.n())
                    + 4.0 * w.m() * w.n();
            List<Object[]> kernels = new ArrayList<>();
            if (families.contains(KernelFamily.CUBLAS)) {
                kernels.add(new Object[] {"cuBLAS " + (p.equals("fp32") ? "sgemm" : p), KernelFamily.CUBLAS,
                    (Supplier<KernelTimer.Run>) () -> switch (p) {
                        case "tf32" -> timer.denseTf32(weight, x);
                        case "bf16" -> timer.denseBf16(weight, x);
                        default -> timer.denseFp32(weight, x, true);
                    }});
            }
            if (p.equals("fp32") && families.contains(KernelFamily.SGEMM)) {
                kernels.add(new Object[] {"prune4j sgemm", KernelFamily.SGEMM,
                    (Supplier<KernelTimer.Run>) () -> timer.denseFp32(weight, x, false)});
            }
            for (Object[] k : kernels) {
                @SuppressWarnings("unchecked")
                SweepResult r = row(w, "dense", 0, p, "gpu dense " + k[0], (KernelFamily) k[1], (long) w.m() * w.k(),
                        flops, bytes, (Supplier<KernelTimer.Run>) k[2], reference);
                if (r == null) {
                    return;
                }
                if (r.ok() && !baselines.containsKey(p)) {
                    baselines.put(p, new Baseline(r.backend(), r.medianMs()));
                }
                sink.accept(withBaseline(r));
            }
        }
    }

    /** Every GPU kernel that runs structure {@code s} at each precision, on weight {@code a} = mask applied. */
    void sparse(Workload w, Structure s, double sparsity, Mask mask, SparseMatrix a, Tensor weight, Tensor x,
            float[] reference, Consumer<SweepResult> sink) {
        long nnz = mask.keptCount();
        double flops = 2.0 * nnz * w.n();
        for (String p : precisions) {
            List<Object[]> kernels = kernels(s, p, a, weight, mask, x);
            for (Object[] k : kernels) {
                double bytes = BenchSweep.bytes(a, w.k(), w.n(), p.equals("bf16") ? 2 : 4);
                @SuppressWarnings("unchecked")
                SweepResult r = row(w, s.label(), sparsity, p, "gpu sparse " + k[0], (KernelFamily) k[1], nnz, flops,
                        bytes, (Supplier<KernelTimer.Run>) k[2], reference);
                if (r == null) {
                    return;
                }
                sink.accept(withBaseline(r));
            }
        }
    }

    /** label, family and timing of each GPU kernel for structure s at precision p; notes the gaps. */
    private List<Object[]> kernels(Structure s, String p, SparseMatrix a, Tensor weight, Mask mask, Tensor x) {
        List<Object[]> out = new ArrayList<>();
        switch (s) {
            case CSR -> {
                CsrMatrix c = (CsrMatrix) a;
                if (p.equals("fp32")) {
                    add(out, "prune4j csr", KernelFamily.CSR, () -> timer.csr(c, x));
                    if (c.nnz() > 0) {
                        add(out, "cuSPARSE csr", KernelFamily.CUSPARSE, () -> timer.cusparseCsr(c, x));
                    }
                } else if (p.equals("bf16")) {
                    add(out, "prune4j csr bf16", KernelFamily.CSR, () -> timer.csrHalf(c, x, HalfFormat.BF16));
                } else {
                    gap(s, p, "unstructured CSR has no tensor-core kernel; see its fp32 and bf16 rows");
                }
            }
            case BSR4, BSR8, BSR16, BSR32 -> {
                BsrMatrix b = (BsrMatrix) a;
                boolean wmma = b.blockRows() == 16 || b.blockRows() == 32;
                if (p.equals("fp32")) {
                    if (b.blockCount() > 0 && b.rows() % b.blockRows() == 0 && b.cols() % b.blockCols() == 0) {
                        add(out, "cuSPARSE blocked-ell", KernelFamily.CUSPARSE, () -> timer.cusparseBlockedEll(b, x)
                                .orElseThrow(() -> new UnsupportedOperationException("this cuSPARSE refuses fp32"
                                        + " Blocked-ELL SpMM on this GPU")));
                    } else {
                        gap(s, p, "cuSPARSE Blocked-ELL needs blocks that tile the weight exactly and at least one"
                                + " block");
                    }
                } else if (wmma) {
                    TensorCorePrecision tp = p.equals("tf32") ? TensorCorePrecision.TF32 : TensorCorePrecision.BF16;
                    add(out, "prune4j " + s.label() + " wmma " + p, KernelFamily.BSR_WMMA, () -> timer.bsrWmma(b, x, tp));
                } else {
                    gap(s, p, "the WMMA BSR kernel takes 16x16 or 32x32 blocks only; see the fp32 cuSPARSE rows");
                }
            }
            case TWO_FOUR -> {
                TwoFourMatrix t = (TwoFourMatrix) a;
                if (p.equals("bf16")) {
                    for (TwoFourKernel k : TwoFourKernel.values()) {
                        KernelFamily f = k == TwoFourKernel.MMA_SP ? KernelFamily.MMA_SP : KernelFamily.WGMMA_SP;
                        Optional<String> why = gpu.whyUnsupported(k);
                        if (why.isPresent()) {
                            if (families.contains(f)) {
                                notes.add("2:4 on " + k.label() + ": " + why.get());
                            }
                            continue;
                        }
                        add(out, "prune4j 2:4 " + k.label(), f, () -> timer.twoFour(t, x, k));
                    }
                    add(out, "cuSPARSELt 2:4", KernelFamily.CUSPARSELT, () -> timer.cusparseLt(t, x));
                } else {
                    gap(s, p, "sparse tensor cores take 16-bit operands (and cuSPARSELt here runs bf16); see the bf16"
                            + " rows");
                }
            }
            case COMPACTED -> {
                CompactedMatrix c = (CompactedMatrix) a;
                Tensor xk = keptRows(x, c.keptCols());
                Tensor block = c.block();
                if (block.rows() == 0 || block.cols() == 0) {
                    gap(s, p, "every channel pruned: nothing to run");
                    break;
                }
                Supplier<KernelTimer.Run> vendor = () -> scatter(switch (p) {
                    case "tf32" -> timer.denseTf32(block, xk);
                    case "bf16" -> timer.denseBf16(block, xk);
                    default -> timer.denseFp32(block, xk, true);
                }, c, x.cols());
                add(out, "cuBLAS " + (p.equals("fp32") ? "sgemm" : p) + " kept channels", KernelFamily.CUBLAS, vendor);
                if (p.equals("fp32")) {
                    add(out, "prune4j sgemm kept channels", KernelFamily.SGEMM,
                            () -> scatter(timer.denseFp32(block, xk, false), c, x.cols()));
                }
            }
            default -> throw new IllegalStateException("no GPU mapping for " + s);
        }
        return out;
    }

    private void add(List<Object[]> out, String label, KernelFamily f, Supplier<KernelTimer.Run> run) {
        if (families.contains(f)) {
            out.add(new Object[] {label, f, run});
        }
    }

    private void gap(Structure s, String p, String why) {
        notes.add(s.label() + " at " + p + " on the GPU: " + why);
    }

    /** The rows of x at {@code rows} (all of x when every row is kept). */
    private static Tensor keptRows(Tensor x, int[] rows) {
        if (rows.length == x.rows()) {
            return x;
        }
        int n = x.cols();
        Tensor out = Tensor.zeros(rows.length, n);
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(x.data(), rows[j] * n, out.data(), j * n, n);
        }
        return out;
    }

    /** The kept-row output placed back among zero rows, for checking against the full product. */
    private static KernelTimer.Run scatter(KernelTimer.Run r, CompactedMatrix c, int n) {
        float[] y = new float[c.rows() * n];
        int[] kept = c.keptRows();
        for (int i = 0; i < kept.length; i++) {
            System.arraycopy(r.output(), i * n, y, kept[i] * n, n);
        }
        return new KernelTimer.Run(r.ms(), r.hostUs(), r.batch(), r.hostBound(), y);
    }

    /** The relative error a correct kernel stays under at precision p (vs the fp32 reference on unrounded data). */
    static double tolerance(String p) {
        return switch (p) {
            case "tf32" -> 5e-3;
            case "bf16" -> 2e-2;
            default -> 1e-4;
        };
    }

    /** One row, whatever happens; null once the context is lost (no more GPU rows). */
    private SweepResult row(Workload w, String structure, double sparsity, String p, String label, KernelFamily family,
            long nnz, double flops, double bytes, Supplier<KernelTimer.Run> run, float[] reference) {
        if (lost != null) {
            return null;
        }
        progress.accept(String.format(Locale.ROOT, "  gpu %s %s %.0f%% %s", label, structure, 100 * sparsity, p));
        KernelTimer.Run r;
        try {
            r = run.get();
        } catch (RuntimeException e) {
            KernelFailure f = KernelFailure.of(e);
            progress.accept("    " + f.brief() + ": " + f.message());
            if (KernelFailure.contextLost().isPresent()) {
                lost = label + " on " + w + ": " + f.errorName();
            }
            return failed(w, structure, sparsity, p, label, nnz, f.status(), f.errorName() + ": " + f.message());
        }
        Timing t = Timing.of(r.ms());
        double err = reference == null ? Double.NaN : RelativeError.frobenius(r.output(), reference);
        String status = reference == null ? "unchecked" : err < tolerance(p) ? "ok" : "mismatch";
        String note = switch (status) {
            case "mismatch" -> String.format(Locale.ROOT, "relative error %.3g exceeds %.0e for %s: not a valid time",
                    err, tolerance(p), p);
            case "unchecked" -> "no reference product in this run";
            default -> r.hostBound() ? "host enqueue outran the spin: device time is an upper bound" : "";
        };
        if (!status.equals("ok")) {
            progress.accept("    " + status + ": " + note);
        }
        double peak = peaks.getOrDefault(p, Double.NaN);
        double gflops = t.gflops(flops);
        double intensity = flops / bytes;
        return new SweepResult(w.family(), w.name(), w.m(), w.k(), w.n(), structure, sparsity, p, label, nnz,
                t.medianMs(), t.minMs(), t.maxMs(), t.runs(), gflops, bytes, bytes / (t.medianMs() * 1e6), intensity,
                gflops / Math.min(peak, intensity * bandwidth), null, Double.NaN, Double.NaN, err, r.hostUs(), status,
                note);
    }

    private static SweepResult failed(Workload w, String structure, double sparsity, String p, String label, long nnz,
            String status, String note) {
        return new SweepResult(w.family(), w.name(), w.m(), w.k(), w.n(), structure, sparsity, p, label, nnz,
                Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, status, note);
    }

    /** r with the same-precision dense baseline filled in (none when no dense product of p ran). */
    private SweepResult withBaseline(SweepResult r) {
        Baseline b = baselines.get(r.precision());
        String label = b == null ? "none" : b.label();
        double ms = b == null ? Double.NaN : b.ms();
        return new SweepResult(r.family(), r.workload(), r.m(), r.k(), r.n(), r.structure(), r.sparsity(), r.precision(),
                r.backend(), r.nnz(), r.medianMs(), r.minMs(), r.maxMs(), r.runs(), r.gflops(), r.bytes(), r.gbs(),
                r.intensity(), r.rooflineFraction(), label, ms, ms / r.medianMs(), r.relError(), r.hostUs(),
                r.status(), r.note());
    }
}
