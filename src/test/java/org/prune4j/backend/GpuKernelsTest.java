package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.Reference;
import org.prune4j.TestMasks.Kind;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.HalfFormat;
import org.prune4j.backend.cuda.TwoFourKernel;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.io.Smtx;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The GPU suite: every CUDA kernel family (own kernels, cuBLAS, cuSPARSE, cuSPARSELt) against
 * the CPU double-precision reference, on the same formats, shapes and edge cases as the CPU
 * kernel tests, with outputs poisoned with NaN so an unwritten element fails. Without a usable
 * GPU every test is skipped with the reason. Each test carries its family's tag
 * ({@code gpu-csr}, {@code gpu-cusparse}, ... see {@link org.prune4j.backend.cuda.KernelFamily}),
 * so {@code ci/device-run} runs one family per JVM and a fault costs one family. Run the whole
 * suite with {@code -Dgroups=gpu}, or from the bundle with {@code bin/gpu-suite [--family F]}.
 */
@Tag("gpu")
class GpuKernelsTest {
    private static final long SEED = System.nanoTime();
    private static final Map<String, Backend> OPEN = new HashMap<>();

    static Backend backend(String name) {
        BackendProvider p = Backends.providers().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
        Availability a = p.probe();
        assumeTrue(a.usable(), "GPU suite skipped for '" + name + "': " + a.detail());
        return OPEN.computeIfAbsent(name, n -> p.create());
    }

    @AfterAll
    static void closeAll() {
        OPEN.values().forEach(Backend::close);
        OPEN.clear();
    }

    static Stream<Object[]> spmmCases() {
        return SpmmTest.cases();
    }

    /** Every format through the project's CSR kernel (other formats are converted to CSR once). */
    @Tag("gpu-csr")
    @ParameterizedTest(name = "cuda {0} {1}x{2} n={3} {4}")
    @MethodSource("spmmCases")
    void spmmOnTheCsrKernel(SpmmTest.Named format, int rows, int cols, int n, Kind kind) {
        spmmMatchesTheDoubleReference("cuda", format, rows, cols, n, kind);
    }

    /** Every format through cuSPARSE (BSR on Blocked-ELL where it fits and is supported, the rest CSR). */
    @Tag("gpu-cusparse")
    @ParameterizedTest(name = "cusparse {0} {1}x{2} n={3} {4}")
    @MethodSource("spmmCases")
    void spmmOnCusparse(SpmmTest.Named format, int rows, int cols, int n, Kind kind) {
        spmmMatchesTheDoubleReference("cusparse", format, rows, cols, n, kind);
    }

    private void spmmMatchesTheDoubleReference(String name, SpmmTest.Named format, int rows, int cols, int n,
            Kind kind) {
        Backend gpu = backend(name);
        Rng rng = new Rng(SEED ^ (rows * 1_000_003L + cols * 1009L + n + kind.ordinal()));
        Tensor w = Tensor.uniform(rng, -1, 1, rows, cols);
        Mask mask = format.f().mask(rows, cols, kind, rng);
        SparseMatrix s = format.f().build(w, mask);
        Tensor masked = mask.apply(w);
        Tensor x = Tensor.uniform(rng, -1, 1, cols, n);
        Tensor y = Tensor.filled(Float.NaN, rows, n);
        double[] abs = new double[rows * n];
        double[] want = Reference.matmul(masked, false, x, abs);
        gpu.spmm(s, Op.N, x, y);
        Reference.assertClose(y.data(), want, abs, cols, name + " " + format + " W x, seed " + SEED);
        Tensor dy = Tensor.uniform(rng, -1, 1, rows, n);
        Tensor dx = Tensor.filled(Float.NaN, cols, n);
        double[] absT = new double[cols * n];
        double[] wantT = Reference.matmul(masked, true, dy, absT);
        gpu.spmm(s, Op.T, dy, dx);
        Reference.assertClose(dx.data(), wantT, absT, rows, name + " " + format + " W^T dY, seed " + SEED);
    }

    static Stream<Object[]> gemmCases() {
        int[][] shapes = {{1, 1, 1}, {37, 53, 67}, {64, 64, 64}, {130, 1, 70}, {65, 129, 3}};
        List<Object[]> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (Op a : Op.values()) {
                for (Op c : Op.values()) {
                    out.add(new Object[] {s[0], s[1], s[2], a, c});
                }
            }
        }
        return out.stream();
    }

    @Tag("gpu-sgemm")
    @ParameterizedTest(name = "prune4j sgemm {0}x{1}x{2} {3}{4}")
    @MethodSource("gemmCases")
    void gemmOnTheOwnSgemm(int m, int n, int k, Op opA, Op opB) {
        gemmMatchesTheDoubleReference("cuda", m, n, k, opA, opB);
    }

    @Tag("gpu-cublas")
    @ParameterizedTest(name = "cublas sgemm {0}x{1}x{2} {3}{4}")
    @MethodSource("gemmCases")
    void gemmOnCublas(int m, int n, int k, Op opA, Op opB) {
        gemmMatchesTheDoubleReference("cublas", m, n, k, opA, opB);
    }

    private void gemmMatchesTheDoubleReference(String name, int m, int n, int k, Op opA, Op opB) {
        Backend gpu = backend(name);
        Rng rng = new Rng(SEED ^ (m * 7919L + n * 104729L + k));
        Tensor a = opA == Op.N ? Tensor.uniform(rng, -1, 1, m, k) : Tensor.uniform(rng, -1, 1, k, m);
        Tensor b = opB == Op.N ? Tensor.uniform(rng, -1, 1, k, n) : Tensor.uniform(rng, -1, 1, n, k);
        for (float beta : new float[] {0f, 0.5f}) {
            Tensor c = beta == 0 ? Tensor.filled(Float.NaN, m, n) : Tensor.uniform(rng, -1, 1, m, n);
            float[] c0 = c.data().clone();
            double[] abs = new double[m * n];
            double[] want = Reference.gemm(opA == Op.T, opB == Op.T, 1.5, a, b, beta, c0, m, n, k, abs);
            gpu.gemm(opA, opB, 1.5f, a, b, beta, c);
            Reference.assertClose(c.data(), want, abs, k + 1, name + " gemm beta " + beta + ", seed " + SEED);
        }
    }

    @Test
    @Tag("gpu-sddmm")
    void sddmmAndElementwiseMatchTheCpu() {
        for (String name : List.of("cuda")) {
            Backend gpu = backend(name);
            Rng rng = new Rng(SEED + name.hashCode());
            for (int[] s : new int[][] {{1, 1, 1}, {37, 53, 67}, {100, 40, 33}}) {
                int rows = s[0], cols = s[1], kk = s[2];
                for (Kind kind : Kind.values()) {
                    CsrMatrix pattern = CsrMatrix.fromDense(Tensor.uniform(rng, -1, 1, rows, cols),
                            org.prune4j.TestMasks.unstructured(rows, cols, kind, rng));
                    Tensor a = Tensor.uniform(rng, -1, 1, rows, kk), b = Tensor.uniform(rng, -1, 1, cols, kk);
                    float[] out = new float[pattern.nnz()];
                    java.util.Arrays.fill(out, Float.NaN);
                    gpu.sddmm(a, b, pattern, out);
                    int p = 0;
                    for (int i = 0; i < rows; i++) {
                        for (int q = pattern.rowPtr()[i]; q < pattern.rowPtr()[i + 1]; q++, p++) {
                            int j = pattern.colIdx()[q];
                            double want = 0, abs = 0;
                            for (int t = 0; t < kk; t++) {
                                want += (double) a.get(i, t) * b.get(j, t);
                                abs += Math.abs((double) a.get(i, t) * b.get(j, t));
                            }
                            assertTrue(Math.abs(out[p] - want) <= 2 * kk * Math.ulp(1f) * abs + 1e-30,
                                    name + " sddmm entry " + p + ": " + out[p] + " vs " + want);
                        }
                    }
                }
            }
            Tensor x = Tensor.uniform(rng, -1, 1, 33, 17), y = Tensor.uniform(rng, -1, 1, 33, 17);
            Tensor want = y.copy();
            for (int i = 0; i < want.size(); i++) {
                want.data()[i] += 0.25f * x.data()[i];
            }
            gpu.axpy(0.25f, x, y);
            assertArrayClose(want.data(), y.data(), name + " axpy");
            Tensor r = Tensor.filled(Float.NaN, 33, 17);
            gpu.relu(x, r);
            for (int i = 0; i < r.size(); i++) {
                assertEquals(Math.max(x.data()[i], 0f), r.data()[i], name + " relu");
            }
            Tensor dx = Tensor.filled(Float.NaN, 33, 17);
            gpu.reluBackward(x, y, dx);
            for (int i = 0; i < dx.size(); i++) {
                assertEquals(x.data()[i] > 0 ? y.data()[i] : 0f, dx.data()[i], name + " reluBackward");
            }
            Tensor sums = Tensor.filled(Float.NaN, 17);
            gpu.sumRows(x, sums);
            for (int j = 0; j < 17; j++) {
                double s = 0;
                for (int i = 0; i < 33; i++) {
                    s += x.get(i, j);
                }
                assertEquals(s, sums.data()[j], 1e-5, name + " sumRows");
            }
            Tensor m = x.copy();
            gpu.addRowVector(m, sums);
            assertEquals(x.get(5, 3) + sums.data()[3], m.get(5, 3), 1e-6, name + " addRowVector");
            Tensor prod = Tensor.filled(Float.NaN, 33, 17);
            gpu.mul(x, y, prod);
            assertEquals(x.get(2, 2) * y.get(2, 2), prod.get(2, 2), 0f, name + " mul");
            gpu.scale(2f, prod);
            assertEquals(2f * x.get(2, 2) * y.get(2, 2), prod.get(2, 2), 0f, name + " scale");
        }
    }

    private static void assertArrayClose(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6 * Math.max(1, Math.abs(want[i])), what + " entry " + i);
        }
    }

    @Test
    @Tag("gpu-csr")
    void halfPrecisionCsrAccumulatesInFp32() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        Rng rng = new Rng(SEED + 3);
        for (HalfFormat f : HalfFormat.values()) {
            for (int[] s : new int[][] {{1, 1, 1}, {37, 53, 67}, {129, 70, 130}}) {
                for (Kind kind : Kind.values()) {
                    Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                    Mask mask = org.prune4j.TestMasks.unstructured(s[0], s[1], kind, rng);
                    CsrMatrix csr = CsrMatrix.fromDense(w, mask);
                    Tensor x = Tensor.uniform(rng, -1, 1, s[1], s[2]);
                    // The reference sees exactly the rounded inputs the GPU sees, so what is left
                    // to check is fp32 accumulation: the usual float bound applies.
                    Tensor wr = rounded(mask.apply(w), f::round), xr = rounded(x, f::round);
                    double[] abs = new double[s[0] * s[2]];
                    double[] want = Reference.matmul(wr, false, xr, abs);
                    Tensor y = Tensor.filled(Float.NaN, s[0], s[2]);
                    gpu.spmmHalf(csr, Op.N, x, y, f);
                    Reference.assertClose(y.data(), want, abs, s[1], f + " csr " + s[0] + "x" + s[1] + " " + kind);
                }
            }
        }
    }

    @Test
    @Tag("gpu-bsr-wmma")
    void bsrOnTensorCoresInEveryPrecision() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        Rng rng = new Rng(SEED + 5);
        // 1x1, shapes that are not multiples of a block or a 16-wide tile, n = 1
        int[][] shapes = {{1, 1, 1}, {37, 53, 67}, {64, 96, 16}, {100, 70, 1}, {129, 160, 130}};
        for (org.prune4j.backend.cuda.TensorCorePrecision p : org.prune4j.backend.cuda.TensorCorePrecision.values()) {
            for (int bs : new int[] {16, 32}) {
                for (int[] s : shapes) {
                    for (Kind kind : Kind.values()) {
                        Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                        Mask mask = org.prune4j.TestMasks.unstructured(s[0], s[1], kind, rng);
                        org.prune4j.sparse.BsrMatrix bsr = org.prune4j.sparse.BsrMatrix.fromDense(w, mask, bs, bs);
                        for (Op op : Op.values()) {
                            int in = op == Op.N ? s[1] : s[0], out = op == Op.N ? s[0] : s[1];
                            Tensor x = Tensor.uniform(rng, -1, 1, in, s[2]);
                            Tensor wr = rounded(mask.apply(w), p::round), xr = rounded(x, p::round);
                            double[] abs = new double[out * s[2]];
                            double[] want = Reference.matmul(wr, op == Op.T, xr, abs);
                            Tensor y = Tensor.filled(Float.NaN, out, s[2]);
                            gpu.spmmTensorCore(bsr, op, x, y, p);
                            Reference.assertClose(y.data(), want, abs, in, p + " bsr" + bs + " " + op + " " + s[0] + "x"
                                    + s[1] + " n=" + s[2] + " " + kind + ", seed " + SEED);
                        }
                    }
                }
            }
        }
    }

    @Test
    @Tag("gpu-mma-sp")
    void twoFourOnSparseTensorCores() {
        checkTwoFour(TwoFourKernel.MMA_SP, new Rng(SEED + 7),
                new int[][] {{1, 1, 1}, {37, 53, 67}, {16, 32, 32}, {129, 70, 130}, {64, 200, 1}});
    }

    /**
     * The Hopper wgmma.sp kernel against the double-precision reference: tails in every padded
     * dimension, one and several pipeline stages, n = 1, empty and all-zero rows, a fully dense
     * 2:4 pattern, and a grid large enough to take the two-warpgroup variant.
     */
    @Test
    @Tag("gpu-wgmma-sp")
    void twoFourOnWarpgroupSparseTensorCores() {
        checkTwoFour(TwoFourKernel.WGMMA_SP, new Rng(SEED + 17), new int[][] {{1, 1, 1}, {37, 53, 67},
            {64, 64, 128}, {129, 70, 130}, {200, 300, 257}, {64, 200, 1}, {2048, 96, 1152}});
    }

    /** Every format, shape and mask kind on {@code kernel}; the largest shapes with random masks only. */
    private static void checkTwoFour(TwoFourKernel kernel, Rng rng, int[][] shapes) {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        java.util.Optional<String> why = gpu.whyUnsupported(kernel);
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        for (HalfFormat f : HalfFormat.values()) {
            for (int[] s : shapes) {
                for (Kind kind : Kind.values()) {
                    if (s[0] * s[2] > 1_000_000 && kind != Kind.RANDOM) {
                        continue;
                    }
                    Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                    Mask mask = org.prune4j.TestMasks.nm(s[0], s[1], 2, 4, kind, rng);
                    org.prune4j.sparse.TwoFourMatrix tf = org.prune4j.sparse.TwoFourMatrix.fromDense(w, mask);
                    Tensor x = Tensor.uniform(rng, -1, 1, s[1], s[2]);
                    Tensor wr = rounded(tf.toDense(), f::round), xr = rounded(x, f::round);
                    double[] abs = new double[s[0] * s[2]];
                    double[] want = Reference.matmul(wr, false, xr, abs);
                    Tensor y = Tensor.filled(Float.NaN, s[0], s[2]);
                    gpu.spmmTwoFour(tf, x, y, f, kernel);
                    Reference.assertClose(y.data(), want, abs, s[1], f + " " + kernel.label() + " " + s[0] + "x" + s[1]
                            + " n=" + s[2] + " " + kind + ", seed " + SEED);
                }
            }
        }
    }

    /**
     * The default kernel choice (whichever this GPU and width get) on one wide and one narrow
     * product; on a Hopper the wide one runs wgmma.sp, so it belongs to that family's run.
     */
    @Test
    @Tag("gpu-wgmma-sp")
    void twoFourDefaultKernelChoice() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        Rng rng = new Rng(SEED + 23);
        for (int n : new int[] {8, 256}) {
            Tensor w = Tensor.uniform(rng, -1, 1, 96, 160);
            org.prune4j.sparse.TwoFourMatrix tf = org.prune4j.sparse.TwoFourMatrix.fromScores(w, w.abs());
            Tensor x = Tensor.uniform(rng, -1, 1, 160, n);
            Tensor wr = rounded(tf.toDense(), HalfFormat.BF16::round), xr = rounded(x, HalfFormat.BF16::round);
            double[] abs = new double[96 * n];
            double[] want = Reference.matmul(wr, false, xr, abs);
            Tensor y = Tensor.filled(Float.NaN, 96, n);
            gpu.spmmTwoFour(tf, x, y, HalfFormat.BF16);
            Reference.assertClose(y.data(), want, abs, 160, "default 2:4 kernel, n=" + n + ", seed " + SEED);
        }
    }

    @Test
    @Tag("gpu-wgmma-sp")
    void bothTwoFourKernelsAgreeOnTheSameWeight() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        java.util.Optional<String> why = gpu.whyUnsupported(TwoFourKernel.WGMMA_SP);
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        Rng rng = new Rng(SEED + 19);
        for (int[] s : new int[][] {{128, 256, 128}, {300, 520, 200}}) {
            Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
            org.prune4j.sparse.TwoFourMatrix tf = org.prune4j.sparse.TwoFourMatrix.fromScores(w, w.abs());
            Tensor x = Tensor.uniform(rng, -1, 1, s[1], s[2]);
            Tensor a = Tensor.filled(Float.NaN, s[0], s[2]), b = Tensor.filled(Float.NaN, s[0], s[2]);
            gpu.spmmTwoFour(tf, x, a, HalfFormat.BF16, TwoFourKernel.MMA_SP);
            gpu.spmmTwoFour(tf, x, b, HalfFormat.BF16, TwoFourKernel.WGMMA_SP);
            // same bf16 products, fp32 sums in another order
            double err = org.prune4j.bench.RelativeError.frobenius(a.data(), b.data());
            assertTrue(err < 1e-5, "mma.sp vs wgmma.sp relative difference " + err + " at " + s[0] + "x" + s[1]);
        }
    }

    @Test
    @Tag("gpu-wgmma-sp")
    void wgmmaOnANonHopperGpuSaysWhichKernelToUse() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        java.util.Optional<String> why = gpu.whyUnsupported(TwoFourKernel.WGMMA_SP);
        assumeTrue(why.isPresent(), "this GPU is a Hopper: wgmma.sp runs");
        org.prune4j.sparse.TwoFourMatrix tf = org.prune4j.sparse.TwoFourMatrix.fromScores(Tensor.zeros(16, 32),
                Tensor.zeros(16, 32));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> gpu.spmmTwoFour(tf, Tensor.zeros(32, 8), Tensor.zeros(16, 8), HalfFormat.BF16,
                        TwoFourKernel.WGMMA_SP));
        assertTrue(e.getMessage().contains("MMA_SP"), e.getMessage());
    }

    @Test
    @Tag("gpu-bsr-wmma")
    void compactedChannelsOnTensorCores() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        Rng rng = new Rng(SEED + 9);
        for (org.prune4j.backend.cuda.TensorCorePrecision p : org.prune4j.backend.cuda.TensorCorePrecision.values()) {
            for (int[] s : new int[][] {{1, 1, 1}, {37, 53, 67}, {96, 64, 16}, {129, 70, 130}}) {
                for (Kind kind : Kind.values()) {
                    Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                    Mask mask = org.prune4j.TestMasks.channels(s[0], s[1], kind, rng);
                    org.prune4j.sparse.CompactedMatrix c = org.prune4j.sparse.CompactedMatrix.fromDense(w, mask);
                    Tensor x = Tensor.uniform(rng, -1, 1, s[1], s[2]);
                    Tensor wr = rounded(mask.apply(w), p::round), xr = rounded(x, p::round);
                    double[] abs = new double[s[0] * s[2]];
                    double[] want = Reference.matmul(wr, false, xr, abs);
                    Tensor y = Tensor.filled(Float.NaN, s[0], s[2]);
                    gpu.spmmCompactedTensorCore(c, x, y, p);
                    Reference.assertClose(y.data(), want, abs, s[1], p + " compacted " + s[0] + "x" + s[1] + " " + kind);
                }
            }
        }
    }

    @Test
    @Tag("gpu-cusparselt")
    void ourTwoFourKernelAndCusparseLtAgreeOnTheSameWeight() {
        CudaBackend gpu = (CudaBackend) backend("cuda");
        String ltVersion = CudaBackend.cusparseLtVersion();
        assumeTrue(ltVersion.matches("\\d.*") && !ltVersion.contains("refused"), "cuSPARSELt: " + ltVersion);
        Rng rng = new Rng(SEED + 13);
        for (int[] s : new int[][] {{32, 64, 32}, {37, 53, 67}, {256, 512, 128}}) {
            Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
            org.prune4j.sparse.TwoFourMatrix tf = org.prune4j.sparse.TwoFourMatrix.fromDense(w,
                    org.prune4j.TestMasks.nm(s[0], s[1], 2, 4, Kind.DENSE, rng));
            Tensor x = Tensor.uniform(rng, -1, 1, s[1], s[2]);
            Tensor ours = Tensor.filled(Float.NaN, s[0], s[2]), lt = Tensor.filled(Float.NaN, s[0], s[2]);
            gpu.spmmTwoFour(tf, x, ours, HalfFormat.BF16);
            gpu.spmmCusparseLt(tf, x, lt);
            // cuSPARSELt writes bf16, so the two differ by its output rounding: 2^-8 relative
            double err = org.prune4j.bench.RelativeError.frobenius(lt.data(), ours.data());
            assertTrue(err < 1e-2, "ours vs cuSPARSELt relative error " + err + " at " + s[0] + "x" + s[1]);
        }
    }

    /** A copy of t with every value as the GPU sees it in a reduced precision. */
    private static Tensor rounded(Tensor t, FloatRounding round) {
        Tensor r = t.copy();
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] = round.round(r.data()[i]);
        }
        return r;
    }

    interface FloatRounding {
        float round(float v);
    }

    /** The first six DLMC patterns (the repository's data/dlmc, carried by the bundle) on the CSR kernel. */
    @Test
    @Tag("gpu-csr")
    void realDlmcPatternsOnTheCsrKernel() throws Exception {
        realDlmcPatterns("cuda");
    }

    @Test
    @Tag("gpu-cusparse")
    void realDlmcPatternsOnCusparse() throws Exception {
        realDlmcPatterns("cusparse");
    }

    private void realDlmcPatterns(String name) throws Exception {
        Backend gpu = backend(name);
        Path dir = org.prune4j.bench.DlmcData.find().orElse(null);
        assumeTrue(dir != null, "DLMC patterns not found (looked at " + org.prune4j.bench.DlmcData.searched() + ")");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".smtx")).sorted().limit(6).toList();
        }
        Rng rng = new Rng(SEED + 11);
        for (Path f : files) {
            CsrMatrix w = Smtx.read(f, rng);
            Tensor x = Tensor.uniform(rng, -1, 1, w.cols(), 64);
            Tensor y = Tensor.filled(Float.NaN, w.rows(), 64);
            double[] abs = new double[w.rows() * 64];
            double[] want = Reference.matmul(w.toDense(), false, x, abs);
            gpu.spmm(w, Op.N, x, y);
            Reference.assertClose(y.data(), want, abs, w.cols(), name + " " + f);
        }
    }
}
