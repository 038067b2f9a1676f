package org.prune4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.TensorCoreTimer;
import org.prune4j.backend.cuda.TwoFourKernel;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The tensor-core speed table, all bf16 with fp32 accumulation on the GPU: cuBLAS dense (the
 * baseline), the project's 2:4 kernels (mma.sp everywhere, wgmma.sp on Hopper) and cuSPARSELt on
 * the same magnitude-pruned 2:4 weight, and the project's BSR-16/32 WMMA kernel at several block sparsities. Each sparse
 * result is checked against cuBLAS on the same masked, rounded weight before its time counts.
 */
public final class TensorCoreBench {

    /** One row of the table. */
    public record Row(int m, int k, int n, String kernel, double sparsity, double medianMs, double minMs, double maxMs,
            double usefulTflops, double speedup, double relError) {
    }

    private final CudaBackend gpu;
    private final int warmup;
    private final int runs;
    private final Consumer<String> progress;

    public TensorCoreBench(CudaBackend gpu, int warmup, int runs, Consumer<String> progress) {
        this.gpu = gpu;
        this.warmup = warmup;
        this.runs = runs;
        this.progress = progress;
    }

    public List<Row> run(int[][] shapes, double[] blockSparsities) {
        TensorCoreTimer timer = new TensorCoreTimer(gpu, warmup, runs);
        List<Row> rows = new ArrayList<>();
        Rng rng = new Rng(42);
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            progress.accept("shape " + m + "x" + k + " x " + k + "x" + n);
            Tensor w = BenchSweep.awayFromZero(rng.split(m + k), m, k);
            Tensor x = BenchSweep.awayFromZero(rng.split(n + 7), k, n);
            TensorCoreTimer.Run dense = timer.denseBf16(w, x);
            Timing dt = Timing.of(dense.ms());
            double denseFlops = 2.0 * m * k * n;
            rows.add(new Row(m, k, n, "cuBLAS bf16 dense", 0, dt.medianMs(), dt.minMs(), dt.maxMs(),
                    denseFlops / (dt.medianMs() * 1e9), 1, 0));

            TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
            float[] ref24 = timer.denseBf16(tf.toDense(), x).output();
            for (TwoFourKernel kernel : TwoFourKernel.values()) {
                String label = "prune4j 2:4 " + kernel.label();
                java.util.Optional<String> why = gpu.whyUnsupported(kernel);
                if (why.isPresent()) {
                    progress.accept("  " + label + " skipped: " + why.get());
                    continue;
                }
                progress.accept("  " + label);
                rows.add(row(m, k, n, label, 0.5, timer.twoFour(tf, x, kernel), denseFlops / 2, dt.medianMs(), ref24));
            }
            progress.accept("  cuSPARSELt 2:4");
            rows.add(row(m, k, n, "cuSPARSELt 2:4", 0.5, timer.cusparseLt(tf, x), denseFlops / 2, dt.medianMs(),
                    ref24));
            for (int bs : new int[] {16, 32}) {
                for (double sp : blockSparsities) {
                    progress.accept(String.format(Locale.ROOT, "  bsr%d at %.0f%%", bs, 100 * sp));
                    Structure st = bs == 16 ? Structure.BSR16 : Structure.BSR32;
                    Mask mask = st.mask(m, k, sp, rng.split(bs * 1000 + (int) (sp * 100)));
                    BsrMatrix b = BsrMatrix.fromDense(w, mask, bs, bs);
                    float[] ref = timer.denseBf16(mask.apply(w), x).output();
                    TensorCoreTimer.Run r = timer.bsr(b, x);
                    rows.add(row(m, k, n, "prune4j bsr" + bs + " wmma", sp, r, 2.0 * mask.keptCount() * n,
                            dt.medianMs(), ref));
                }
            }
        }
        return rows;
    }

    private static Row row(int m, int k, int n, String kernel, double sparsity, TensorCoreTimer.Run r, double flops,
            double denseMs, float[] reference) {
        double err = RelativeError.frobenius(r.output(), reference);
        if (!(err < 1e-2)) {
            throw new IllegalStateException(kernel + " at " + m + "x" + k + "x" + n + ", sparsity " + sparsity
                    + " disagrees with cuBLAS on the same masked weight (relative error " + err + "); not reporting it");
        }
        Timing t = Timing.of(r.ms());
        return new Row(m, k, n, kernel, sparsity, t.medianMs(), t.minMs(), t.maxMs(), flops / (t.medianMs() * 1e9),
                denseMs / t.medianMs(), err);
    }

    public static String markdown(List<Row> rows, String device, String command, String date) {
        StringBuilder sb = new StringBuilder("# Tensor-core SpMM speed table\n\n- date: " + date + "\n- device: " + device
                + "\n- command: `" + command + "`\n- bf16 operands, fp32 accumulation; median of the runs by device "
                + "events, activations rotated past twice the L2; speedup against cuBLAS bf16 dense on the same shape\n\n"
                + "| m x k x n | kernel | sparsity | ms (min-max) | useful TFLOP/s | speedup | rel. error |\n"
                + "|---|---|---:|---|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %dx%dx%d | %s | %.0f%% | %.3f (%.3f-%.3f) | %.1f | %.2fx | %.1e |%n",
                    r.m(), r.k(), r.n(), r.kernel(), 100 * r.sparsity(), r.medianMs(), r.minMs(), r.maxMs(),
                    r.usefulTflops(), r.speedup(), r.relError()));
        }
        return sb.toString();
    }
}
