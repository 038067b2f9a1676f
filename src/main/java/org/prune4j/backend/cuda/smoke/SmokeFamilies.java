package org.prune4j.backend.cuda.smoke;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.Op;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.HalfFormat;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.backend.cuda.KernelTimer;
import org.prune4j.backend.cuda.TensorCorePrecision;
import org.prune4j.backend.cuda.TwoFourKernel;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The smoke cases of each family: one small product per kernel (a 96 x 160 weight unless a
 * kernel variant needs a larger grid), values drawn fresh, outputs poisoned with NaN, checked
 * against a double-precision product of exactly the operands the kernel sees (rounded to its
 * precision). Besides the kernel families there are two checks of the machinery: {@code timing}
 * (the spin kernel and events every benchmark row relies on) and {@code selftest} (a deliberate
 * fault, which must come out as {@code fault} in its own process and leave the others alone).
 */
final class SmokeFamilies {
    static final String TIMING = "timing";
    static final String SELFTEST = "selftest";

    private static final int M = 96;
    private static final int K = 160;

    private SmokeFamilies() {
    }

    /** Every family the smoke step knows, in the order it runs them. */
    static List<String> all() {
        List<String> f = new ArrayList<>(KernelFamily.ids());
        f.add(TIMING);
        return f;
    }

    static boolean known(String family) {
        return all().contains(family) || family.equals(SELFTEST);
    }

    static List<SmokeCase> cases(String family, long seed) {
        Rng rng = new Rng(seed);
        List<SmokeCase> c = new ArrayList<>();
        switch (family) {
            case "csr" -> {
                c.add(new SmokeCase("p4j_csr_spmm_f32", g -> csr(g, rng, 64, null)));
                c.add(new SmokeCase("p4j_csr_spmm_f32_narrow", g -> csr(g, rng, 8, null)));
                c.add(new SmokeCase("p4j_csr_spmm_f16", g -> csr(g, rng, 64, HalfFormat.FP16)));
                c.add(new SmokeCase("p4j_csr_spmm_bf16", g -> csr(g, rng, 64, HalfFormat.BF16)));
            }
            case "sddmm" -> {
                c.add(new SmokeCase("p4j_sddmm_f32", g -> sddmm(g, rng)));
                for (String op : List.of("axpy", "scale", "mul", "relu", "relu_backward", "add_row_vector",
                        "sum_rows")) {
                    c.add(new SmokeCase("p4j_" + op, g -> Elementwise.check(g, op, rng)));
                }
            }
            case "sgemm" -> {
                c.add(new SmokeCase("p4j_sgemm(NN)", g -> sgemm(g, rng, Op.N, Op.N)));
                c.add(new SmokeCase("p4j_sgemm(TN)", g -> sgemm(g, rng, Op.T, Op.N)));
                c.add(new SmokeCase("p4j_sgemm(NT)", g -> sgemm(g, rng, Op.N, Op.T)));
            }
            case "bsr-wmma" -> {
                for (int bs : new int[] {16, 32}) {
                    for (TensorCorePrecision p : TensorCorePrecision.values()) {
                        String suffix = switch (p) {
                            case TF32 -> "tf32";
                            case BF16 -> "bf16";
                            case FP16 -> "f16";
                        };
                        c.add(new SmokeCase("p4j_bsr" + bs + "_wmma_" + suffix, g -> bsr(g, rng, bs, p)));
                    }
                }
            }
            case "mma-sp" -> {
                c.add(new SmokeCase("p4j_two_four_bf16", g -> twoFour(g, rng, TwoFourKernel.MMA_SP, HalfFormat.BF16,
                        M, K, 64, "p4j_two_four_bf16")));
                c.add(new SmokeCase("p4j_two_four_f16", g -> twoFour(g, rng, TwoFourKernel.MMA_SP, HalfFormat.FP16,
                        M, K, 64, "p4j_two_four_f16")));
                c.addAll(TrainingSmoke.twoFourCases(rng, 70, TwoFourKernel.MMA_SP, "p4j_two_four_bf16"));
            }
            case "wgmma-sp" -> {
                c.add(new SmokeCase("p4j_two_four_wgmma_bf16_wg1", g -> twoFour(g, rng, TwoFourKernel.WGMMA_SP,
                        HalfFormat.BF16, 200, 300, 257, "p4j_two_four_wgmma_bf16_wg1")));
                c.add(new SmokeCase("p4j_two_four_wgmma_f16_wg1", g -> twoFour(g, rng, TwoFourKernel.WGMMA_SP,
                        HalfFormat.FP16, 200, 300, 257, "p4j_two_four_wgmma_f16_wg1")));
                // 16 x 9 output tiles: more than an H100/H200 has multiprocessors, so the
                // two-warpgroup variant runs
                c.add(new SmokeCase("p4j_two_four_wgmma_bf16_wg2", g -> twoFour(g, rng, TwoFourKernel.WGMMA_SP,
                        HalfFormat.BF16, 2048, 96, 1152, "p4j_two_four_wgmma_bf16_wg2")));
                c.addAll(TrainingSmoke.twoFourCases(rng, 160, TwoFourKernel.WGMMA_SP, "p4j_two_four_wgmma_bf16_wg1"));
            }
            case "cublas" -> {
                for (String p : List.of("fp32", "tf32", "bf16")) {
                    c.add(new SmokeCase(p.equals("fp32") ? "cublasSgemm_v2" : "cublasGemmEx(" + p + ")",
                            g -> cublas(g, rng, p)));
                }
            }
            case "cusparse" -> {
                c.add(new SmokeCase("cusparseSpMM(CSR)", g -> cusparse(g, rng, false)));
                c.add(new SmokeCase("cusparseSpMM(CSR,nnz=0)", g -> cusparse(g, rng, true)));
                c.add(new SmokeCase("cusparseSpMM(Blocked-ELL)", g -> blockedEll(g, rng)));
            }
            case "cusparselt" -> c.add(new SmokeCase("cusparseLtMatmul", g -> cusparseLt(g, rng)));
            case "training" -> c.addAll(TrainingSmoke.cases(rng));
            case TIMING -> c.add(new SmokeCase("p4j_spin+events", g -> timing(g, rng)));
            case SELFTEST -> c.add(new SmokeCase("p4j_poke(address_0)", g -> {
                g.faultOnPurpose();
                return new Check(Double.NaN, 0, "the deliberate fault did not happen");
            }));
            default -> throw new IllegalArgumentException("unknown smoke family '" + family + "'; choose from " + all()
                    + " or " + SELFTEST);
        }
        return c;
    }

    private static Tensor uniform(Rng rng, int rows, int cols) {
        return Tensor.uniform(rng, -1f, 1f, rows, cols);
    }

    /** A copy of {@code t} with every element passed through {@code round}. */
    static Tensor rounded(Tensor t, java.util.function.DoubleUnaryOperator round) {
        Tensor r = t.copy();
        float[] d = r.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) round.applyAsDouble(d[i]);
        }
        return r;
    }

    private static Check csr(CudaBackend g, Rng rng, int n, HalfFormat half) {
        Tensor w = uniform(rng, M, K);
        Mask mask = Mask.random(M, K, 0.3, rng);
        CsrMatrix a = CsrMatrix.fromDense(w, mask);
        Tensor x = uniform(rng, K, n);
        Tensor y = Tensor.filled(Float.NaN, M, n);
        if (half == null) {
            g.spmm(a, Op.N, x, y);
        } else {
            g.spmmHalf(a, Op.N, x, y, half);
        }
        Tensor wr = half == null ? mask.apply(w) : rounded(mask.apply(w), v -> half.round((float) v));
        Tensor xr = half == null ? x : rounded(x, v -> half.round((float) v));
        return Reference.check(y.data(), Reference.gemm(wr.data(), false, xr.data(), false, M, n, K),
                Reference.fp32(K), "");
    }

    private static Check sddmm(CudaBackend g, Rng rng) {
        int kk = 40;
        CsrMatrix pattern = CsrMatrix.fromDense(uniform(rng, M, K), Mask.random(M, K, 0.3, rng));
        Tensor a = uniform(rng, M, kk), b = uniform(rng, K, kk);
        float[] out = new float[pattern.nnz()];
        java.util.Arrays.fill(out, Float.NaN);
        g.sddmm(a, b, pattern, out);
        double[] want = new double[out.length], abs = new double[out.length];
        for (int i = 0, p = 0; i < M; i++) {
            for (int q = pattern.rowPtr()[i]; q < pattern.rowPtr()[i + 1]; q++, p++) {
                int j = pattern.colIdx()[q];
                for (int t = 0; t < kk; t++) {
                    double v = (double) a.get(i, t) * b.get(j, t);
                    want[p] += v;
                    abs[p] += Math.abs(v);
                }
            }
        }
        return Reference.check(out, new double[][] {want, abs}, Reference.fp32(kk), "");
    }

    private static Check sgemm(CudaBackend g, Rng rng, Op opA, Op opB) {
        int m = 70, n = 65, k = 129;
        Tensor a = opA == Op.N ? uniform(rng, m, k) : uniform(rng, k, m);
        Tensor b = opB == Op.N ? uniform(rng, k, n) : uniform(rng, n, k);
        Tensor c = Tensor.filled(Float.NaN, m, n);
        g.gemm(opA, opB, 1f, a, b, 0f, c);
        return Reference.check(c.data(), Reference.gemm(a.data(), opA == Op.T, b.data(), opB == Op.T, m, n, k),
                Reference.fp32(k), "");
    }

    private static Check bsr(CudaBackend g, Rng rng, int bs, TensorCorePrecision p) {
        int n = 40;
        Tensor w = uniform(rng, M, K);
        int gr = (M + bs - 1) / bs, gc = (K + bs - 1) / bs;
        Mask blocks = Mask.random(gr, gc, 0.5, rng);
        boolean[] keep = new boolean[M * K];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < K; j++) {
                keep[i * K + j] = blocks.kept(i / bs, j / bs);
            }
        }
        Mask mask = Mask.of(M, K, keep);
        BsrMatrix a = BsrMatrix.fromDense(w, mask, bs, bs);
        Tensor x = uniform(rng, K, n);
        Tensor y = Tensor.filled(Float.NaN, M, n);
        g.spmmTensorCore(a, Op.N, x, y, p);
        Tensor wr = rounded(mask.apply(w), v -> p.round((float) v)), xr = rounded(x, v -> p.round((float) v));
        return Reference.check(y.data(), Reference.gemm(wr.data(), false, xr.data(), false, M, n, K),
                Reference.fp32(K), "");
    }

    private static Check twoFour(CudaBackend g, Rng rng, TwoFourKernel kernel, HalfFormat f, int m, int k, int n,
            String expected) {
        java.util.Optional<String> why = g.whyUnsupported(kernel);
        if (why.isPresent()) {
            throw new UnsupportedOperationException(why.get());
        }
        Tensor w = uniform(rng, m, k);
        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        Tensor x = uniform(rng, k, n);
        Tensor y = Tensor.filled(Float.NaN, m, n);
        String ran = g.twoFourKernelName(tf, n, f, kernel);
        g.spmmTwoFour(tf, x, y, f, kernel);
        Tensor wr = rounded(tf.toDense(), v -> f.round((float) v)), xr = rounded(x, v -> f.round((float) v));
        return Reference.check(y.data(), Reference.gemm(wr.data(), false, xr.data(), false, m, n, k),
                Reference.fp32(k), ran.equals(expected) ? "" : "this GPU's grid chose " + ran);
    }

    private static Check cublas(CudaBackend g, Rng rng, String p) {
        int n = 64;
        Tensor a = uniform(rng, M, K), b = uniform(rng, K, n);
        Tensor c = Tensor.filled(Float.NaN, M, n);
        g.vendorProducts().gemmCublas(a, b, c, p);
        if (p.equals("bf16")) {
            Tensor ar = rounded(a, v -> HalfFormat.BF16.round((float) v));
            Tensor br = rounded(b, v -> HalfFormat.BF16.round((float) v));
            return Reference.check(c.data(), Reference.gemm(ar.data(), false, br.data(), false, M, n, K),
                    Reference.fp32(K), "");
        }
        // tf32: cuBLAS rounds the operands itself (mode not documented), so allow one tf32 unit
        // (2^-10 relative) per operand on top of the fp32 sum
        double tol = p.equals("tf32") ? 2 * 0x1p-10 + Reference.fp32(K) : Reference.fp32(K);
        return Reference.check(c.data(), Reference.gemm(a.data(), false, b.data(), false, M, n, K), tol, "");
    }

    private static Check cusparse(CudaBackend g, Rng rng, boolean empty) {
        int n = 64;
        Tensor w = uniform(rng, M, K);
        Mask mask = empty ? Mask.none(M, K) : Mask.random(M, K, 0.3, rng);
        CsrMatrix a = CsrMatrix.fromDense(w, mask);
        Tensor x = uniform(rng, K, n);
        Tensor y = Tensor.filled(Float.NaN, M, n);
        g.vendorProducts().spmmCusparse(a, x, y);
        return Reference.check(y.data(), Reference.gemm(mask.apply(w).data(), false, x.data(), false, M, n, K),
                Reference.fp32(K), empty ? "Y must come back all zero" : "");
    }

    private static Check blockedEll(CudaBackend g, Rng rng) {
        int n = 64, bs = 16;
        Tensor w = uniform(rng, M, K);
        Mask blocks = Mask.random(M / bs, K / bs, 0.5, rng);
        boolean[] keep = new boolean[M * K];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < K; j++) {
                keep[i * K + j] = blocks.kept(i / bs, j / bs);
            }
        }
        Mask mask = Mask.of(M, K, keep);
        BsrMatrix a = BsrMatrix.fromDense(w, mask, bs, bs);
        Tensor x = uniform(rng, K, n);
        Tensor y = Tensor.filled(Float.NaN, M, n);
        if (!g.vendorProducts().spmmBlockedEll(a, x, y)) {
            throw new UnsupportedOperationException("this cuSPARSE refuses fp32 Blocked-ELL SpMM on this GPU"
                    + " (the cusparse backend then runs BSR through CSR)");
        }
        return Reference.check(y.data(), Reference.gemm(mask.apply(w).data(), false, x.data(), false, M, n, K),
                Reference.fp32(K), "");
    }

    private static Check cusparseLt(CudaBackend g, Rng rng) {
        int n = 64;
        Tensor w = uniform(rng, M, K);
        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        Tensor x = uniform(rng, K, n);
        Tensor y = Tensor.filled(Float.NaN, M, n);
        g.spmmCusparseLt(tf, x, y);
        Tensor wr = rounded(tf.toDense(), v -> HalfFormat.BF16.round((float) v));
        Tensor xr = rounded(x, v -> HalfFormat.BF16.round((float) v));
        // the output is bf16: one bf16 rounding (2^-8 relative) on top of the fp32 sum
        return Reference.check(y.data(), Reference.gemm(wr.data(), false, xr.data(), false, M, n, K),
                0x1p-8 + Reference.fp32(K), g.vendorProducts().cusparseLtDescription());
    }

    private static Check timing(CudaBackend g, Rng rng) {
        int n = 64;
        Tensor w = uniform(rng, M, K);
        Mask mask = Mask.random(M, K, 0.3, rng);
        CsrMatrix a = CsrMatrix.fromDense(w, mask);
        Tensor x = uniform(rng, K, n);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            KernelTimer.Run r = t.csr(a, x);
            for (float ms : r.ms()) {
                if (!(ms > 0 && ms < 1000)) {
                    return new Check(Double.NaN, 0, "event time " + ms + " ms is not a plausible kernel time");
                }
            }
            return Reference.check(r.output(), Reference.gemm(mask.apply(w).data(), false, x.data(), false, M, n, K),
                    Reference.fp32(K), String.format(java.util.Locale.ROOT, "%.4f ms per call, batch %d, host %.1f us",
                            r.ms()[0], r.batch(), r.hostUs()));
        }
    }
}
