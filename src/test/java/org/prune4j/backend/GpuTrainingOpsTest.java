package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.backend.cuda.HalfFormat;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Every training operation of the CUDA backend on tensors resident in GPU memory, against the
 * CPU backend (itself tested against independent references in TrainingOpsTest and
 * SparseTrainingKernelsTest) on fresh random inputs. Outputs start as NaN so an element a
 * kernel fails to write shows. Skipped with the reason where no GPU is usable.
 */
@Tag("gpu")
@Tag("gpu-training")
class GpuTrainingOpsTest {
    private static final long SEED = System.nanoTime();
    private final Backend cpu = new CpuBackend(new JavaGemm());
    private final Rng rng = new Rng(SEED);

    private static Backend gpu() {
        return GpuKernelsTest.backend("cuda");
    }

    @AfterAll
    static void close() {
        GpuKernelsTest.closeAll();
    }

    /** A device copy of a host tensor. */
    private static Tensor dev(Backend g, Tensor host) {
        Tensor d = g.allocate(host.shape());
        g.copy(host, d);
        return d;
    }

    private static Tensor nan(Backend g, int... shape) {
        Tensor d = g.allocate(shape);
        g.fill(d, Float.NaN);
        return d;
    }

    private static void assertNear(Tensor want, Tensor got, double tol, String what) {
        float[] w = want.data(), d = got.toHost().data();
        assertEquals(w.length, d.length, what);
        for (int i = 0; i < w.length; i++) {
            double t = tol * (1 + Math.abs(w[i]));
            assertTrue(Math.abs(w[i] - d[i]) <= t, what + "[" + i + "]: cpu " + w[i] + ", gpu " + d[i] + " (seed " + SEED
                    + ")");
        }
    }

    static List<Object[]> sparseCases() {
        List<Object[]> out = new ArrayList<>();
        // 4x32 and 32x32: blocks wider than tall, and the largest, whose 1,024 entries need all four
        // accumulators of each weight-gradient thread
        BlockShape[] blocks = {BlockShape.NONE, new BlockShape(4, 4), new BlockShape(8, 4), new BlockShape(4, 32),
            new BlockShape(16, 16), new BlockShape(32, 32)};
        for (int[] s : new int[][] {{1, 1, 1}, {37, 53, 5}, {64, 100, 60}, {200, 150, 256}}) {
            for (Kind k : Kind.values()) {
                for (BlockShape b : blocks) {
                    out.add(new Object[] {s[0], s[1], s[2], k, b});
                }
            }
        }
        return out;
    }

    /**
     * CSR patterns and patterns of whole blocks (edge blocks overhanging where the blocks do not
     * divide the matrix): the GPU must store the same values in the same order as the CPU and
     * compute the same products and gradients, zero at block padding included.
     */
    @ParameterizedTest(name = "{0}x{1} batch {2} {3} blocks {4}")
    @MethodSource("sparseCases")
    void sparseTrainingProductsMatchTheCpu(int rows, int cols, int batch, Kind kind, BlockShape blocks) {
        Backend g = gpu();
        Mask mask = blocks.equals(BlockShape.NONE) ? TestMasks.unstructured(rows, cols, kind, rng)
                : TestMasks.blocks(rows, cols, blocks.rows(), blocks.cols(), kind, rng);
        CsrMatrix pattern = CsrMatrix.pattern(mask);
        Tensor w = mask.apply(Tensor.uniform(rng, -1, 1, rows, cols));
        Tensor x = Tensor.uniform(rng, -1, 1, batch, cols), dy = Tensor.uniform(rng, -1, 1, batch, rows);
        SparseWeight sc = cpu.prepareSparse(pattern, blocks), sg = g.prepareSparse(pattern, blocks);
        assertEquals(sc.blocks(), sg.blocks(), "both backends run whole blocks of four and more on block kernels");
        assertEquals(sc.nnz(), sg.nnz(), "stored values, block padding included");
        Tensor vc = Tensor.zeros(sc.nnz()), vg = nan(g, sg.nnz());
        cpu.gatherValues(sc, w, vc);
        g.gatherValues(sg, dev(g, w), vg);
        assertNear(vc, vg, 0, "gathered values");
        Tensor yc = Tensor.zeros(batch, rows), yg = nan(g, batch, rows);
        cpu.sparseForward(sc, vc, x, yc, ActivationLayout.BATCH_MAJOR);
        g.sparseForward(sg, vg, dev(g, x), yg, ActivationLayout.BATCH_MAJOR);
        assertNear(yc, yg, 1e-5, "forward");
        Tensor dxc = Tensor.zeros(batch, cols), dxg = nan(g, batch, cols);
        Tensor gc = Tensor.zeros(sc.nnz()), gg = nan(g, sg.nnz());
        cpu.sparseBackward(sc, vc, dy, x, dxc, gc, ActivationLayout.BATCH_MAJOR);
        g.sparseBackward(sg, vg, dev(g, dy), dev(g, x), dxg, gg, ActivationLayout.BATCH_MAJOR);
        assertNear(dxc, dxg, 1e-5, "input gradient");
        assertNear(gc, gg, 1e-5, "weight gradient");
        // the same products on feature-major activations (a convolution's im2col matrix)
        Tensor xt = x.transpose(), dyt = dy.transpose();
        Tensor yfc = Tensor.zeros(rows, batch), yfg = nan(g, rows, batch);
        cpu.sparseForward(sc, vc, xt, yfc, ActivationLayout.FEATURE_MAJOR);
        g.sparseForward(sg, vg, dev(g, xt), yfg, ActivationLayout.FEATURE_MAJOR);
        assertNear(yfc, yfg, 1e-5, "feature-major forward");
        Tensor dxfc = Tensor.zeros(cols, batch), dxfg = nan(g, cols, batch);
        Tensor gfc = Tensor.zeros(sc.nnz()), gfg = nan(g, sg.nnz());
        cpu.sparseBackward(sc, vc, dyt, xt, dxfc, gfc, ActivationLayout.FEATURE_MAJOR);
        g.sparseBackward(sg, vg, dev(g, dyt), dev(g, xt), dxfg, gfg, ActivationLayout.FEATURE_MAJOR);
        assertNear(dxfc, dxfg, 1e-5, "feature-major input gradient");
        assertNear(gfc, gfg, 1e-5, "feature-major weight gradient");
        Tensor back = nan(g, rows, cols);
        g.scatterValues(sg, vg, back);
        assertNear(w, back, 0, "scattered values");
        sg.close();
    }

    /**
     * An exact 2:4 pattern trains its forward product on sparse tensor cores, with W and x
     * rounded to bf16 and fp32 accumulation: checked against that product in double precision,
     * at a tolerance the fp32 product would miss by far, so the test also shows which path ran.
     * Its gradients run as dense fp32 GEMMs and must match the CPU's. Shapes include a short last
     * group (cols 9, 53) and rows not a multiple of 16 or 128. The same weight then runs again
     * with new values (nothing may be cached from the first) and at a second batch width on the
     * other side of the wgmma.sp threshold (128), so on a Hopper both kernels' packings run.
     */
    @ParameterizedTest(name = "{0}x{1} batch {2}")
    @org.junit.jupiter.params.provider.CsvSource({"1,4,1", "37,53,5", "64,100,60", "130,9,130", "200,150,256"})
    void twoFourTrainingRunsItsForwardOnSparseTensorCores(int rows, int cols, int batch) {
        Backend g = gpu();
        java.util.Optional<String> why = ((org.prune4j.backend.cuda.CudaBackend) g).whyUnsupported(
                org.prune4j.backend.cuda.TwoFourKernel.MMA_SP);
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
        Mask mask = TestMasks.nm(rows, cols, 2, 4, Kind.DENSE, rng);
        CsrMatrix pattern = CsrMatrix.pattern(mask);
        SparseWeight sc = cpu.prepareSparse(pattern), sg = g.prepareSparse(pattern);
        assertEquals(pattern.nnz(), sg.nnz(), "values stored in CSR order, no padding");
        Tensor w = null;
        for (int n : new int[] {batch, batch >= 128 ? 7 : 131}) {
            w = mask.apply(Tensor.uniform(rng, -1, 1, rows, cols));
            Tensor x = Tensor.uniform(rng, -1, 1, n, cols), dy = Tensor.uniform(rng, -1, 1, n, rows);
            Tensor vc = Tensor.zeros(sc.nnz()), vg = nan(g, sg.nnz());
            cpu.gatherValues(sc, w, vc);
            g.gatherValues(sg, dev(g, w), vg);
            for (ActivationLayout layout : ActivationLayout.values()) {
                boolean bm = layout == ActivationLayout.BATCH_MAJOR;
                Tensor xl = bm ? x : x.transpose(), dyl = bm ? dy : dy.transpose();
                Tensor yg = bm ? nan(g, n, rows) : nan(g, rows, n);
                g.sparseForward(sg, vg, dev(g, xl), yg, layout);
                assertBf16Product(w, x, yg.toHost().data(), bm, layout + " forward, batch " + n);
                Tensor dxc = bm ? Tensor.zeros(n, cols) : Tensor.zeros(cols, n);
                Tensor dxg = bm ? nan(g, n, cols) : nan(g, cols, n);
                Tensor gc = Tensor.zeros(sc.nnz()), gg = nan(g, sg.nnz());
                cpu.sparseBackward(sc, vc, dyl, xl, dxc, gc, layout);
                g.sparseBackward(sg, vg, dev(g, dyl), dev(g, xl), dxg, gg, layout);
                assertNear(dxc, dxg, 1e-5, layout + " input gradient (fp32), batch " + n);
                assertNear(gc, gg, 1e-5, layout + " weight gradient (fp32), batch " + n);
            }
            Tensor back = nan(g, rows, cols);
            g.scatterValues(sg, vg, back);
            assertNear(w, back, 0, "scattered values");
        }
        sg.close();
    }

    /** y (batch x rows, or rows x batch) against bf16(w) bf16(x)^T in double precision. */
    private static void assertBf16Product(Tensor w, Tensor x, float[] y, boolean batchMajor, String what) {
        int rows = w.rows(), cols = w.cols(), n = x.rows();
        for (int b = 0; b < n; b++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0, scale = 0;
                for (int c = 0; c < cols; c++) {
                    double t = (double) HalfFormat.BF16.round(w.get(r, c)) * HalfFormat.BF16.round(x.get(b, c));
                    sum += t;
                    scale += Math.abs(t);
                }
                float got = y[batchMajor ? b * rows + r : r * n + b];
                assertTrue(Math.abs(got - sum) <= 1e-5 * (1 + scale), what + " (" + b + ", " + r + "): " + got
                        + " vs the bf16 product " + sum + " (seed " + SEED + ")");
            }
        }
    }

    @Test
    void convolutionDataMovementMatchesTheCpu() {
        Backend g = gpu();
        for (int[] c : new int[][] {{2, 3, 5, 6, 3, 1}, {3, 2, 7, 4, 5, 2}, {1, 1, 1, 1, 1, 0}}) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], k = c[4], pad = c[5];
            int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
            Tensor x = Tensor.uniform(rng, -1, 1, n, ch, h, w);
            Tensor colsC = Tensor.zeros(ch * k * k, n * oh * ow), colsG = nan(g, ch * k * k, n * oh * ow);
            cpu.im2col(x, k, pad, 1, colsC);
            g.im2col(dev(g, x), k, pad, 1, colsG);
            assertNear(colsC, colsG, 0, "im2col");
            Tensor dxC = Tensor.zeros(n, ch, h, w), dxG = nan(g, n, ch, h, w);
            cpu.col2im(colsC, k, pad, 1, dxC);
            g.col2im(colsG, k, pad, 1, dxG);
            assertNear(dxC, dxG, 1e-6, "col2im");
        }
        Tensor src = Tensor.uniform(rng, -1, 1, 3, 45, 70);
        Tensor tc = Tensor.zeros(45, 3, 70), tg = nan(g, 45, 3, 70);
        cpu.transposeBlocks(src, 3, 45, 70, tc);
        g.transposeBlocks(dev(g, src), 3, 45, 70, tg);
        assertNear(tc, tg, 0, "transposeBlocks");
        Tensor bias = Tensor.uniform(rng, -1, 1, 45);
        Tensor bc = src.copy(), bg = dev(g, src);
        cpu.addChannelBias(bc, 45, 70, bias);
        g.addChannelBias(bg, 45, 70, dev(g, bias));
        assertNear(bc, bg, 1e-6, "addChannelBias");
        Tensor sc = Tensor.zeros(45), sg = nan(g, 45);
        cpu.sumChannels(bc, 45, 70, sc);
        g.sumChannels(bg, 45, 70, sg);
        assertNear(sc, sg, 1e-4, "sumChannels");
    }

    @Test
    void poolingNormalisationDropoutAndLossMatchTheCpu() {
        Backend g = gpu();
        Tensor x = Tensor.uniform(rng, -1, 1, 4, 3, 9, 7);
        Tensor yc = Tensor.zeros(4, 3, 4, 3), yg = nan(g, 4, 3, 4, 3);
        cpu.maxPool(x, 2, yc);
        Tensor xg = dev(g, x);
        g.maxPool(xg, 2, yg);
        assertNear(yc, yg, 0, "maxPool");
        Tensor dy = Tensor.uniform(rng, -1, 1, 4, 3, 4, 3);
        Tensor dxc = Tensor.zeros(x.shape()), dxg = nan(g, x.shape());
        cpu.maxPoolBackward(x, dy, 2, dxc);
        g.maxPoolBackward(xg, dev(g, dy), 2, dxg);
        assertNear(dxc, dxg, 0, "maxPoolBackward");

        for (boolean training : new boolean[] {true, false}) {
            Tensor gam = Tensor.uniform(rng, 0.5f, 2, 3), bet = Tensor.uniform(rng, -1, 1, 3);
            Tensor rmc = Tensor.uniform(rng, -0.1f, 0.1f, 3), rvc = Tensor.uniform(rng, 0.9f, 1.1f, 3);
            Tensor rmg = dev(g, rmc), rvg = dev(g, rvc);
            Tensor xhc = Tensor.zeros(x.shape()), ic = Tensor.zeros(3), outc = Tensor.zeros(x.shape());
            Tensor xhg = nan(g, x.shape()), ig = nan(g, 3), outg = nan(g, x.shape());
            cpu.batchNormForward(x, 3, 63, training, 0.1f, 1e-5f, gam, bet, rmc, rvc, xhc, ic, outc);
            g.batchNormForward(xg, 3, 63, training, 0.1f, 1e-5f, dev(g, gam), dev(g, bet), rmg, rvg, xhg, ig, outg);
            assertNear(outc, outg, 1e-5, "batchNorm y " + training);
            assertNear(rmc, rmg, 1e-6, "running mean");
            assertNear(rvc, rvg, 1e-6, "running var");
            Tensor gy = Tensor.uniform(rng, -1, 1, x.shape());
            Tensor dgc = Tensor.zeros(3), dbc = Tensor.zeros(3), dc = Tensor.zeros(x.shape());
            Tensor dgg = nan(g, 3), dbg = nan(g, 3), dg = nan(g, x.shape());
            cpu.batchNormBackward(gy, xhc, ic, gam, 3, 63, training, dgc, dbc, dc);
            g.batchNormBackward(dev(g, gy), xhg, ig, dev(g, gam), 3, 63, training, dgg, dbg, dg);
            assertNear(dc, dg, 1e-4, "batchNorm dx " + training);
            assertNear(dgc, dgg, 1e-4, "dgamma");
            assertNear(dbc, dbg, 1e-4, "dbeta");
        }

        Tensor dc = Tensor.zeros(x.shape()), dg = nan(g, x.shape());
        cpu.dropout(x, 0.3f, 99, dc);
        g.dropout(xg, 0.3f, 99, dg);
        assertNear(dc, dg, 0, "dropout draws the same mask");

        Tensor z = Tensor.uniform(rng, -5, 5, 300, 10);
        float[] lab = new float[300];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = rng.nextInt(10);
        }
        Tensor labels = Tensor.wrap(lab, 300);
        Tensor gc = Tensor.zeros(300, 10), sc = Tensor.zeros(3), gg = nan(g, 300, 10), sg = dev(g, Tensor.zeros(3));
        cpu.softmaxCrossEntropy(z, labels, gc, sc);
        g.softmaxCrossEntropy(dev(g, z), dev(g, labels), gg, sg);
        assertNear(gc, gg, 1e-6, "loss gradient");
        assertNear(sc, sg, 1e-5, "loss sums");
    }

    @Test
    void optimiserUpdatesRoundLikeTheCpu() {
        Backend g = gpu();
        Mask mask = Mask.random(37, 61, 0.5, rng);
        for (int variant = 0; variant < 4; variant++) {
            Tensor w = mask.apply(Tensor.uniform(rng, -1, 1, 37, 61)), grad = Tensor.uniform(rng, -1, 1, 37, 61);
            Tensor s1 = Tensor.uniform(rng, -0.1f, 0.1f, 37, 61), s2 = Tensor.uniform(rng, 0, 0.1f, 37, 61);
            Tensor wg = dev(g, w), gg = dev(g, grad), s1g = dev(g, s1), s2g = dev(g, s2);
            MaskHandle mc = cpu.prepareMask(mask), mg = g.prepareMask(mask);
            BiConsumer<Backend, Tensor[]> step = switch (variant) {
                case 0 -> (b, t) -> b.adamUpdate(t[0], t[1], t[2], t[3], b == cpu ? mc : mg, 0.01f, 0.9f, 0.999f, 1e-8f,
                        0.3f, 0.01f);
                case 1 -> (b, t) -> b.sgdUpdate(t[0], t[1], t[2], b == cpu ? mc : mg, 0.1f, 0.9f, true, 0.001f);
                case 2 -> (b, t) -> b.sgdUpdate(t[0], t[1], t[2], null, 0.1f, 0.9f, false, 0f);
                default -> (b, t) -> b.sgdUpdate(t[0], t[1], null, null, 0.1f, 0f, false, 0.01f);
            };
            step.accept(cpu, new Tensor[] {w, grad, s1, s2});
            step.accept(g, new Tensor[] {wg, gg, s1g, s2g});
            assertNear(w, wg, 0, "weights, variant " + variant);
            assertNear(s1, s1g, 0, "state, variant " + variant);
            Tensor t = Tensor.uniform(rng, 1, 2, 37, 61), tg = dev(g, t);
            cpu.applyMask(mc, t);
            g.applyMask(mg, tg);
            assertNear(t, tg, 0, "applyMask");
            mg.close();
        }
        Tensor x = Tensor.wrap(new float[] {1, -2, 3, Float.NaN, Float.NEGATIVE_INFINITY}, 5);
        Tensor acc = dev(g, Tensor.wrap(new float[] {0.5f}, 1));
        g.countNonFinite(dev(g, x), acc);
        assertEquals(2.5f, acc.toHost().data()[0]);
        Tensor sq = dev(g, Tensor.zeros(1));
        g.sumOfSquares(dev(g, Tensor.wrap(new float[] {1, -2, 3}, 3)), sq);
        assertEquals(14f, sq.toHost().data()[0]);
    }
}
