package org.prune4j.bench;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.KernelFailure;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.backend.cuda.KernelTimer;
import org.prune4j.backend.cuda.TensorCorePrecision;
import org.prune4j.backend.cuda.TwoFourKernel;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The tensor-core speed table, all bf16 with fp32 accumulation on the GPU: cuBLAS dense (the
 * baseline), the project's 2:4 kernels (mma.sp everywhere, wgmma.sp on Hopper) and cuSPARSELt on
 * the same magnitude-pruned 2:4 weight, and the project's BSR-16/32 WMMA kernel at several block
 * sparsities. Each sparse result is checked against cuBLAS on the same masked weight. Every row
 * goes to the sink as soon as it is measured; a kernel that disagrees, faults or is refused
 * becomes a row saying so, and the table goes on (after a fault, which breaks the CUDA context,
 * the remaining rows say they were not run and why).
 */
public final class TensorCoreBench {

    /** One row: status is ok, mismatch, fault, error, unsupported, unchecked or not-run. */
    public record Row(int m, int k, int n, String kernel, String family, double sparsity, String status,
            double medianMs, double minMs, double maxMs, double hostUs, int batch, double usefulTflops,
            double speedup, double relError, String note) {
        /** Whether the row holds a trustworthy time. */
        public boolean ok() {
            return status.equals("ok");
        }
    }

    public static final String CSV_HEADER = "m,k,n,kernel,family,sparsity,status,median_ms,min_ms,max_ms,host_us,"
            + "batch,useful_tflops,speedup,rel_error,note";

    /** bf16 operands, fp32 sums: cuBLAS and ours differ by summation order only, cuSPARSELt also rounds its output. */
    private static final double TOLERANCE = 1e-2;

    private final CudaBackend gpu;
    private final int warmup;
    private final int runs;
    private final Set<KernelFamily> families;
    private final Consumer<String> progress;

    public TensorCoreBench(CudaBackend gpu, int warmup, int runs, Set<KernelFamily> families,
            Consumer<String> progress) {
        this.gpu = gpu;
        this.warmup = warmup;
        this.runs = runs;
        this.families = families;
        this.progress = progress;
    }

    /** Measures every shape; each row goes to {@code sink} as soon as it is known. */
    public void run(int[][] shapes, double[] blockSparsities, Consumer<Row> sink) {
        try (KernelTimer timer = new KernelTimer(gpu, warmup, runs)) {
            Rng rng = new Rng(42);
            for (int[] s : shapes) {
                shape(timer, s[0], s[1], s[2], blockSparsities, rng, sink);
            }
        }
    }

    private void shape(KernelTimer timer, int m, int k, int n, double[] blockSparsities, Rng rng, Consumer<Row> sink) {
        progress.accept("shape " + m + "x" + k + " x " + k + "x" + n);
        Tensor w = BenchSweep.awayFromZero(rng.split(m + k), m, k);
        Tensor x = BenchSweep.awayFromZero(rng.split(n + 7), k, n);
        double denseFlops = 2.0 * m * k * n;
        boolean cublas = families.contains(KernelFamily.CUBLAS);
        Row dense = cublas ? measure(m, k, n, "cuBLAS bf16 dense", KernelFamily.CUBLAS, 0, denseFlops, Double.NaN,
                () -> timer.denseBf16(w, x), null) : null;
        if (dense != null) {
            sink.accept(dense);
        }
        double denseMs = dense != null && dense.ok() ? dense.medianMs() : Double.NaN;

        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        float[] ref24 = reference(timer, tf.toDense(), x, cublas);
        for (TwoFourKernel kernel : TwoFourKernel.values()) {
            KernelFamily f = kernel == TwoFourKernel.MMA_SP ? KernelFamily.MMA_SP : KernelFamily.WGMMA_SP;
            if (!families.contains(f)) {
                continue;
            }
            String label = "prune4j 2:4 " + kernel.label();
            java.util.Optional<String> why = gpu.whyUnsupported(kernel);
            if (why.isPresent()) {
                sink.accept(failed(m, k, n, label, f, 0.5, "unsupported", why.get()));
                continue;
            }
            sink.accept(measure(m, k, n, label, f, 0.5, denseFlops / 2, denseMs, () -> timer.twoFour(tf, x, kernel),
                    ref24));
        }
        if (families.contains(KernelFamily.CUSPARSELT)) {
            sink.accept(measure(m, k, n, "cuSPARSELt 2:4", KernelFamily.CUSPARSELT, 0.5, denseFlops / 2, denseMs,
                    () -> timer.cusparseLt(tf, x), ref24));
        }
        if (!families.contains(KernelFamily.BSR_WMMA)) {
            return;
        }
        for (int bs : new int[] {16, 32}) {
            for (double sp : blockSparsities) {
                Structure st = bs == 16 ? Structure.BSR16 : Structure.BSR32;
                Mask mask = st.mask(m, k, sp, rng.split(bs * 1000 + (int) (sp * 100)));
                BsrMatrix b = BsrMatrix.fromDense(w, mask, bs, bs);
                float[] ref = reference(timer, mask.apply(w), x, cublas);
                sink.accept(measure(m, k, n, "prune4j bsr" + bs + " wmma", KernelFamily.BSR_WMMA, sp,
                        2.0 * mask.keptCount() * n, denseMs, () -> timer.bsrWmma(b, x, TensorCorePrecision.BF16), ref));
            }
        }
    }

    /** cuBLAS bf16 on the masked weight, or null when cuBLAS is left out or fails (the rows are then unchecked). */
    private float[] reference(KernelTimer timer, Tensor masked, Tensor x, boolean cublas) {
        if (!cublas || KernelFailure.contextLost().isPresent()) {
            return null;
        }
        try {
            return timer.cublasReference(masked, x, true);
        } catch (RuntimeException e) {
            progress.accept("  no cuBLAS reference: " + KernelFailure.of(e).brief());
            return null;
        }
    }

    /** Runs one kernel and turns whatever happens into a row. */
    private Row measure(int m, int k, int n, String label, KernelFamily family, double sparsity, double flops,
            double denseMs, Supplier<KernelTimer.Run> run, float[] reference) {
        progress.accept(String.format(Locale.ROOT, "  %s%s", label, sparsity > 0 && family == KernelFamily.BSR_WMMA
                ? String.format(Locale.ROOT, " at %.0f%%", 100 * sparsity) : ""));
        java.util.Optional<String> lost = KernelFailure.contextLost();
        if (lost.isPresent()) {
            return failed(m, k, n, label, family, sparsity, "not-run", "the CUDA context was lost to an earlier fault: "
                    + lost.get());
        }
        KernelTimer.Run r;
        try {
            r = run.get();
        } catch (RuntimeException e) {
            KernelFailure f = KernelFailure.of(e);
            progress.accept("    " + f.brief() + ": " + f.message());
            return failed(m, k, n, label, family, sparsity, f.status(), f.errorName() + ": " + f.message());
        }
        Timing t = Timing.of(r.ms());
        double err = reference == null ? Double.NaN : RelativeError.frobenius(r.output(), reference);
        String status = reference == null && family != KernelFamily.CUBLAS ? "unchecked"
                : reference == null || err < TOLERANCE ? "ok" : "mismatch";
        String note = switch (status) {
            case "mismatch" -> String.format(Locale.ROOT, "relative error %.3g against cuBLAS on the same masked weight"
                    + " exceeds %.0e: the time is not to be trusted", err, TOLERANCE);
            case "unchecked" -> "no cuBLAS reference in this run: output not checked";
            default -> r.hostBound() ? "host enqueue outran the spin: device time is an upper bound" : "";
        };
        if (!status.equals("ok")) {
            progress.accept("    " + status + ": " + note);
        }
        return new Row(m, k, n, label, family.id(), sparsity, status, t.medianMs(), t.minMs(), t.maxMs(), r.hostUs(),
                r.batch(), flops / (t.medianMs() * 1e9), denseMs / t.medianMs(), err, note);
    }

    private static Row failed(int m, int k, int n, String label, KernelFamily family, double sparsity, String status,
            String note) {
        return new Row(m, k, n, label, family.id(), sparsity, status, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                Double.NaN, Double.NaN, Double.NaN, note);
    }

    public static String csv(Row r) {
        return String.join(",", "" + r.m(), "" + r.k(), "" + r.n(), ResultsCsv.field(r.kernel()), r.family(),
                f(r.sparsity()), r.status(), f(r.medianMs()), f(r.minMs()), f(r.maxMs()), f(r.hostUs()), "" + r.batch(),
                f(r.usefulTflops()), f(r.speedup()), f(r.relError()), ResultsCsv.field(r.note()));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    public static String markdown(java.util.List<Row> rows, String device, String command, String date) {
        StringBuilder sb = new StringBuilder("# Tensor-core SpMM speed table\n\n- date: " + date + "\n- device: " + device
                + "\n- command: `" + command + "`\n- bf16 operands, fp32 accumulation; device time per call: median of"
                + " the samples, each a batch of back-to-back calls between two events behind a spin kernel, so host"
                + " submission stays outside; host us = the host's enqueue cost per call, measured apart;"
                + " activations rotated past twice the L2; speedup against cuBLAS bf16 dense on the same shape\n\n"
                + "| m x k x n | kernel | sparsity | status | ms (min-max) | host us | useful TFLOP/s | speedup |"
                + " rel. error |\n|---|---|---:|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            if (Double.isNaN(r.medianMs())) {
                sb.append(String.format(Locale.ROOT, "| %dx%dx%d | %s | %.0f%% | %s: %s | | | | | |%n", r.m(), r.k(),
                        r.n(), r.kernel(), 100 * r.sparsity(), r.status(), r.note().replace("|", "/")));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %dx%dx%d | %s | %.0f%% | %s | %.4f (%.4f-%.4f) | %.1f | %.1f |"
                    + " %.2fx | %.1e |%n", r.m(), r.k(), r.n(), r.kernel(), 100 * r.sparsity(), r.status(),
                    r.medianMs(), r.minMs(), r.maxMs(), r.hostUs(), r.usefulTflops(), r.speedup(), r.relError()));
        }
        return sb.toString();
    }
}
