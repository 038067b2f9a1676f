package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Availability;
import org.prune4j.backend.Op;
import org.prune4j.bench.RelativeError;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * On a GPU: every KernelTimer path the benchmarks use returns plausible times and the right
 * product (so tcbench and bench measure what they name), weights are uploaded once however often
 * they are used, and a backend gives everything back on close. Tagged per kernel family like the
 * rest of the suite.
 */
@Tag("gpu")
class GpuTimingAndCachingTest {
    private static CudaBackend gpu;
    private final Rng rng = new Rng(System.nanoTime());

    static CudaBackend gpu() {
        CudaBackendProvider p = new CudaBackendProvider();
        Availability a = p.probe();
        assumeTrue(a.usable(), "GPU suite skipped: " + a.detail());
        if (gpu == null) {
            gpu = (CudaBackend) p.create();
        }
        return gpu;
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            assertTrue(gpu.release().isEmpty(), "a healthy backend releases everything");
            gpu = null;
        }
    }

    private static void checkRun(KernelTimer.Run r, float[] want, double tolerance, String what) {
        assertTrue(r.batch() >= 1, what);
        for (float ms : r.ms()) {
            assertTrue(ms > 0 && ms < 10_000, what + ": " + ms + " ms");
        }
        assertTrue(Double.isFinite(r.hostUs()) && r.hostUs() >= 0, what + " host " + r.hostUs());
        double err = RelativeError.frobenius(r.output(), want);
        assertTrue(err < tolerance, what + ": relative error " + err);
    }

    private float[] dense(Tensor w, Tensor x) {
        Tensor y = Tensor.zeros(w.rows(), x.cols());
        new org.prune4j.backend.cpu.CpuBackend(new org.prune4j.backend.cpu.JavaGemm()).gemm(Op.N, Op.N, 1f, w, x, 0f, y);
        return y.data();
    }

    @Test
    @Tag("gpu-csr")
    void timedCsrKernelsComputeTheProductTheyName() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 300, 260);
        Mask mask = Mask.random(300, 260, 0.2, rng);
        CsrMatrix a = CsrMatrix.fromDense(w, mask);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            for (int n : new int[] {8, 200}) {
                Tensor x = Tensor.uniform(rng, -1, 1, 260, n);
                float[] want = dense(mask.apply(w), x);
                checkRun(t.csr(a, x), want, 1e-5, "csr n=" + n);
                checkRun(t.csrHalf(a, x, HalfFormat.BF16), want, 2e-2, "csr bf16 n=" + n);
            }
        }
    }

    @Test
    @Tag("gpu-csr")
    void aWeightIsUploadedOnceHoweverOftenItIsUsed() {
        CudaBackend g = gpu();
        CsrMatrix a = CsrMatrix.fromDense(Tensor.uniform(rng, -1, 1, 64, 96), Mask.random(64, 96, 0.3, rng));
        Tensor x = Tensor.uniform(rng, -1, 1, 96, 16), y = Tensor.zeros(64, 16);
        g.spmm(a, Op.N, x, y);
        long after = g.weights().uploads();
        for (int i = 0; i < 5; i++) {
            g.spmm(a, Op.N, x, y);
        }
        assertEquals(after, g.weights().uploads(), "five more products, no more uploads");
        g.spmm(a, Op.T, Tensor.uniform(rng, -1, 1, 64, 16), Tensor.zeros(96, 16));
        assertEquals(after + 1, g.weights().uploads(), "the transposed product is one more variant");
    }

    @Test
    @Tag("gpu-mma-sp")
    void aTwoFourWeightIsUploadedOnceAndTimedCorrectly() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 128, 256);
        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        Tensor x = Tensor.uniform(rng, -1, 1, 256, 64), y = Tensor.zeros(128, 64);
        g.spmmTwoFour(tf, x, y, HalfFormat.BF16, TwoFourKernel.MMA_SP);
        long after = g.weights().uploads();
        g.spmmTwoFour(tf, x, y, HalfFormat.BF16, TwoFourKernel.MMA_SP);
        assertEquals(after, g.weights().uploads(), "the 2:4 values and metadata stay on the device");
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.twoFour(tf, x, TwoFourKernel.MMA_SP), dense(tf.toDense(), x), 2e-2, "mma.sp");
        }
    }

    @Test
    @Tag("gpu-wgmma-sp")
    void timedWgmmaComputesTheProduct() {
        CudaBackend g = gpu();
        assumeTrue(g.whyUnsupported(TwoFourKernel.WGMMA_SP).isEmpty(), "not a Hopper GPU");
        Tensor w = Tensor.uniform(rng, -1, 1, 256, 320);
        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        Tensor x = Tensor.uniform(rng, -1, 1, 320, 256);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.twoFour(tf, x, TwoFourKernel.WGMMA_SP), dense(tf.toDense(), x), 2e-2, "wgmma.sp");
        }
    }

    @Test
    @Tag("gpu-bsr-wmma")
    void timedBsrWmmaComputesTheProductInEachPrecision() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 96, 160);
        Mask m = Mask.random(96, 160, 0.5, rng);
        BsrMatrix b = BsrMatrix.fromDense(w, m, 16, 16);
        Tensor x = Tensor.uniform(rng, -1, 1, 160, 40);
        float[] want = dense(b.toDense(), x);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.bsrWmma(b, x, TensorCorePrecision.TF32), want, 5e-3, "bsr16 tf32");
            checkRun(t.bsrWmma(b, x, TensorCorePrecision.BF16), want, 2e-2, "bsr16 bf16");
        }
    }

    @Test
    @Tag("gpu-sgemm")
    void timedOwnSgemmComputesTheProduct() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 130, 70), x = Tensor.uniform(rng, -1, 1, 70, 90);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.denseFp32(w, x, false), dense(w, x), 1e-5, "prune4j sgemm");
        }
    }

    @Test
    @Tag("gpu-cublas")
    void timedCublasComputesTheProductInEachPrecision() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 128, 96), x = Tensor.uniform(rng, -1, 1, 96, 64);
        float[] want = dense(w, x);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.denseFp32(w, x, true), want, 1e-5, "cuBLAS sgemm");
            checkRun(t.denseTf32(w, x), want, 5e-3, "cuBLAS tf32");
            checkRun(t.denseBf16(w, x), want, 2e-2, "cuBLAS bf16");
            assertTrue(RelativeError.frobenius(t.cublasReference(w, x, false), want) < 1e-5);
        }
    }

    @Test
    @Tag("gpu-cusparse")
    void timedCusparseComputesTheProduct() {
        CudaBackend g = gpu();
        Tensor w = Tensor.uniform(rng, -1, 1, 96, 160);
        Mask m = Mask.random(96, 160, 0.4, rng);
        Tensor x = Tensor.uniform(rng, -1, 1, 160, 48);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.cusparseCsr(CsrMatrix.fromDense(w, m), x), dense(m.apply(w), x), 1e-5, "cuSPARSE csr");
            BsrMatrix b = BsrMatrix.fromDense(w, m, 16, 16);
            t.cusparseBlockedEll(b, x).ifPresent(r -> checkRun(r, dense(b.toDense(), x), 1e-5, "Blocked-ELL"));
        }
        Tensor y = Tensor.filled(Float.NaN, 96, 48);
        g.vendorProducts().spmmCusparse(CsrMatrix.fromDense(w, Mask.none(96, 160)), x, y);
        for (float v : y.data()) {
            assertEquals(0f, v, "an empty weight's product is written, all zero");
        }
    }

    @Test
    @Tag("gpu-cusparselt")
    void timedCusparseLtComputesTheProduct() {
        CudaBackend g = gpu();
        String v = CudaBackend.cusparseLtVersion();
        assumeTrue(v.matches("\\d.*") && !v.contains("refused"), "cuSPARSELt: " + v);
        Tensor w = Tensor.uniform(rng, -1, 1, 96, 160);
        TwoFourMatrix tf = TwoFourMatrix.fromScores(w, w.abs());
        Tensor x = Tensor.uniform(rng, -1, 1, 160, 64);
        try (KernelTimer t = new KernelTimer(g, 1, 3)) {
            checkRun(t.cusparseLt(tf, x), dense(tf.toDense(), x), 2e-2, "cuSPARSELt");
        }
    }
}
