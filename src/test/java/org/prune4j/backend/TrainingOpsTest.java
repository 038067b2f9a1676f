package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The network operations of the CPU backend against independent references: a direct
 * convolution sum for im2col, the adjoint identity for col2im, naive window scans for pooling,
 * double-precision statistics for batch norm and the loss, and the update formulas written out
 * in double for the optimisers.
 */
class TrainingOpsTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());
    private final Rng rng = new Rng(SEED);

    @ParameterizedTest(name = "n{0} c{1} {2}x{3} k{4} pad{5} stride{6}")
    @CsvSource({"1,1,1,1,1,0,1", "2,3,5,6,3,1,1", "3,2,7,4,5,2,1", "1,4,9,9,3,0,1", "2,1,3,3,3,1,1",
        "2,3,8,8,3,1,2", "1,2,7,9,3,1,2", "2,2,8,8,1,0,2", "1,1,1,1,1,0,2", "2,3,10,7,5,2,3", "1,2,4,4,3,0,2"})
    void im2colTimesAWeightIsTheDirectConvolution(int n, int c, int h, int w, int k, int pad, int stride) {
        Tensor x = Tensor.uniform(rng, -1, 1, n, c, h, w);
        // the output size written out from the definition: every window start in steps of stride that fits
        int oh = 0, ow = 0;
        while (oh * stride + k <= h + 2 * pad) {
            oh++;
        }
        while (ow * stride + k <= w + 2 * pad) {
            ow++;
        }
        int outC = 3;
        Tensor weight = Tensor.uniform(rng, -1, 1, outC, c * k * k);
        Tensor cols = Tensor.filled(Float.NaN, c * k * k, n * oh * ow);
        be.im2col(x, k, pad, stride, cols);
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < outC; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double direct = 0, viaCols = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride + ky - pad, ix = ox * stride + kx - pad;
                                    double wv = weight.get(o, (ch * k + ky) * k + kx);
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        direct += wv * x.data()[((img * c + ch) * h + iy) * w + ix];
                                    }
                                    viaCols += wv * cols.get((ch * k + ky) * k + kx, (img * oh + oy) * ow + ox);
                                }
                            }
                        }
                        assertEquals(direct, viaCols, 1e-5, "conv output " + img + "," + o + "," + oy + "," + ox);
                    }
                }
            }
        }
        // col2im is the adjoint: <im2col(x), g> = <x, col2im(g)>.
        Tensor g = Tensor.uniform(rng, -1, 1, c * k * k, n * oh * ow);
        Tensor dx = Tensor.filled(Float.NaN, n, c, h, w);
        be.col2im(g, k, pad, stride, dx);
        assertEquals(dot(cols, g), dot(x, dx), 1e-4 * (1 + Math.abs(dot(cols, g))), "adjoint identity");
    }

    @Test
    void transposeBlocksSwapsTheOuterTwoDimensions() {
        for (int inner : new int[] {1, 5, 40}) {
            Tensor src = Tensor.uniform(rng, -1, 1, 37, 45, inner);
            Tensor dst = Tensor.zeros(45, 37, inner);
            be.transposeBlocks(src, 37, 45, inner, dst);
            for (int i = 0; i < 37; i++) {
                for (int j = 0; j < 45; j++) {
                    for (int q = 0; q < inner; q++) {
                        assertEquals(src.data()[(i * 45 + j) * inner + q], dst.data()[(j * 37 + i) * inner + q]);
                    }
                }
            }
        }
    }

    @Test
    void channelBiasesAddAndSumPerChannel() {
        int outer = 3, channels = 4, inner = 37;
        Tensor t = Tensor.uniform(rng, -1, 1, outer, channels, inner);
        Tensor before = t.copy(), bias = Tensor.uniform(rng, -1, 1, channels);
        be.addChannelBias(t, channels, inner, bias);
        double[] want = new double[channels];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < inner; i++) {
                    int at = (o * channels + c) * inner + i;
                    assertEquals(before.data()[at] + bias.data()[c], t.data()[at], 1e-6);
                    want[c] += t.data()[at];
                }
            }
        }
        Tensor sums = Tensor.filled(Float.NaN, channels);
        be.sumChannels(t, channels, inner, sums);
        for (int c = 0; c < channels; c++) {
            assertEquals(want[c], sums.data()[c], 1e-4);
        }
    }

    @Test
    void maxPoolTakesTheFirstMaximumAndRoutesTheGradientThere() {
        // Windows of rows 0-1: {1,3 / 3,0} ties at 3, {3,0 / 7,1}, {2,2 / 0,0} ties at 2; the
        // last column and row are a partial window and dropped.
        Tensor x = Tensor.wrap(new float[] {1, 3, 3, 0, 2, 2, 5, 3, 0, 7, 1, 0, 0, 9, 1, 1, -1, -1, -2, -3, 8},
                1, 1, 3, 7);
        Tensor y = Tensor.zeros(1, 1, 1, 3);
        be.maxPool(x, 2, y);
        assertArrayEquals(new float[] {3, 7, 2}, y.data());
        Tensor dy = Tensor.wrap(new float[] {10, 20, 30}, 1, 1, 1, 3);
        Tensor dx = Tensor.filled(Float.NaN, 1, 1, 3, 7);
        be.maxPoolBackward(x, dy, 2, dx);
        float[] want = new float[21];
        want[1] = 10; // the first 3 in row-major order, not the one below it
        want[7 + 2] = 20;
        want[4] = 30;
        assertArrayEquals(want, dx.data());
    }

    @Test
    void batchNormNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
        int n = 5, c = 3, sp = 4;
        Tensor x = Tensor.uniform(rng, -2, 3, n, c, 2, 2);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 2, c), beta = Tensor.uniform(rng, -1, 1, c);
        Tensor rm = Tensor.zeros(c), rv = Tensor.filled(1f, c);
        Tensor xhat = Tensor.zeros(x.shape()), inv = Tensor.zeros(c), y = Tensor.zeros(x.shape());
        be.batchNormForward(x, c, sp, true, 0.1f, 1e-5f, gamma, beta, rm, rv, xhat, inv, y);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    double v = x.data()[(i * c + ch) * sp + j];
                    sum += v;
                    sq += v * v;
                }
            }
            double mean = sum / (n * sp), var = sq / (n * sp) - mean * mean;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    int at = (i * c + ch) * sp + j;
                    double want = gamma.data()[ch] * (x.data()[at] - mean) / Math.sqrt(var + 1e-5) + beta.data()[ch];
                    assertEquals(want, y.data()[at], 1e-5, "y " + at);
                }
            }
            assertEquals(0.1 * mean, rm.data()[ch], 1e-6);
            assertEquals(0.9 + 0.1 * var * (n * sp) / (n * sp - 1), rv.data()[ch], 1e-5);
        }
    }

    @Test
    void dropoutKeepsAboutOneMinusPScaledAndTheBackwardUsesTheSameMask() {
        Tensor x = Tensor.filled(1f, 20000);
        Tensor y = Tensor.zeros(20000), g = Tensor.zeros(20000);
        be.dropout(x, 0.25f, 42, y);
        be.dropoutBackward(Tensor.filled(2f, 20000), 0.25f, 42, g);
        int kept = 0;
        for (int i = 0; i < 20000; i++) {
            boolean k = y.data()[i] != 0;
            kept += k ? 1 : 0;
            assertEquals(k ? 1 / 0.75f : 0f, y.data()[i], 1e-6f);
            assertEquals(k ? 2 / 0.75f : 0f, g.data()[i], 1e-6f);
            assertEquals(k, DropoutHash.uniform(42, i) >= 0.25f);
        }
        assertEquals(0.75, kept / 20000.0, 0.02);
    }

    @Test
    void softmaxCrossEntropyMatchesDoubleReferenceAndCountsNonFiniteRows() {
        int n = 7, k = 5;
        Tensor z = Tensor.uniform(rng, -4, 4, n, k);
        z.set(3, 2, Float.NaN);
        float[] lab = {0, 4, 2, 1, 3, 3, 0};
        Tensor grad = Tensor.zeros(n, k), stats = Tensor.wrap(new float[] {1, 2, 3}, 3);
        be.softmaxCrossEntropy(z, Tensor.wrap(lab, n), grad, stats);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 3) {
                for (int j = 0; j < k; j++) {
                    assertEquals(0f, grad.get(i, j));
                }
                continue;
            }
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                if (z.get(i, j) > max) {
                    max = z.get(i, j);
                    arg = j;
                }
            }
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z.get(i, j) - max);
            }
            loss += Math.log(sum) + max - z.get(i, (int) lab[i]);
            correct += arg == (int) lab[i] ? 1 : 0;
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z.get(i, j) - max) / sum - (j == lab[i] ? 1 : 0);
                assertEquals(p / n, grad.get(i, j), 1e-6);
            }
        }
        assertEquals(1 + loss, stats.data()[0], 1e-4);
        assertEquals(2 + correct, stats.data()[1]);
        assertEquals(3 + 1, stats.data()[2]);
    }

    @Test
    void adamAndSgdFollowTheirFormulasAndLeavePrunedEntriesAlone() {
        int rows = 7, cols = 19;
        Mask mask = Mask.random(rows, cols, 0.6, rng);
        Tensor w0 = mask.apply(Tensor.uniform(rng, -1, 1, rows, cols));
        Tensor g = Tensor.uniform(rng, -1, 1, rows, cols);
        float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        Tensor w = w0.copy(), m = Tensor.zeros(rows, cols), v = Tensor.zeros(rows, cols);
        MaskHandle h = be.prepareMask(mask);
        for (int t = 1; t <= 3; t++) {
            float stepSize = (float) (lr / (1 - Math.pow(b1, t))), sqrtC2 = (float) Math.sqrt(1 - Math.pow(b2, t));
            float[] wb = w.data().clone(), mb = m.data().clone(), vb = v.data().clone();
            be.adamUpdate(w, g, m, v, h, stepSize, b1, b2, eps, sqrtC2, wd);
            for (int i = 0; i < wb.length; i++) {
                if (!mask.kept(i / cols, i % cols)) {
                    assertEquals(0f, w.data()[i]);
                    assertEquals(0f, m.data()[i]);
                    assertEquals(0f, v.data()[i]);
                    continue;
                }
                double gi = g.data()[i] + (double) wd * wb[i];
                double mi = b1 * (double) mb[i] + (1 - b1) * gi, vi = b2 * (double) vb[i] + (1 - b2) * gi * gi;
                double wi = wb[i] - stepSize * mi / (Math.sqrt(vi) / sqrtC2 + eps);
                assertEquals(mi, m.data()[i], 1e-6);
                assertEquals(vi, v.data()[i], 1e-6);
                assertEquals(wi, w.data()[i], 1e-5);
            }
        }
        for (boolean nesterov : new boolean[] {false, true}) {
            Tensor ws = w0.copy(), vel = Tensor.uniform(rng, -1, 1, rows, cols);
            Mask all = Mask.all(rows, cols);
            float[] wb = ws.data().clone(), vb = vel.data().clone();
            be.sgdUpdate(ws, g, vel, be.prepareMask(all), 0.1f, 0.9f, nesterov, 0.01f);
            for (int i = 0; i < wb.length; i++) {
                double gi = g.data()[i] + 0.01 * wb[i], vi = 0.9 * vb[i] + gi;
                assertEquals(vi, vel.data()[i], 1e-6);
                assertEquals(wb[i] - 0.1 * (nesterov ? gi + 0.9 * vi : vi), ws.data()[i], 1e-6);
            }
        }
        Tensor plain = w0.copy();
        be.sgdUpdate(plain, g, null, null, 0.5f, 0f, false, 0f);
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(w0.data()[i] - 0.5 * g.data()[i], plain.data()[i], 1e-6);
        }
    }

    @Test
    void applyMaskZeroesExactlyThePrunedEntries() {
        Mask mask = Mask.random(13, 70, 0.3, rng);
        Tensor t = Tensor.uniform(rng, 1, 2, 13, 70);
        Tensor want = mask.apply(t);
        be.applyMask(be.prepareMask(mask), t);
        assertArrayEquals(want.data(), t.data());
    }

    @Test
    void reductionsAccumulate() {
        Tensor x = Tensor.wrap(new float[] {1, -2, 3, Float.NaN, Float.POSITIVE_INFINITY}, 5);
        Tensor acc = Tensor.wrap(new float[] {1}, 1);
        be.countNonFinite(x, acc);
        assertEquals(3f, acc.data()[0]);
        Tensor sq = Tensor.wrap(new float[] {0.5f}, 1);
        be.sumOfSquares(Tensor.wrap(new float[] {1, -2, 3}, 3), sq);
        assertEquals(14.5f, sq.data()[0]);
    }

    @Test
    void badLabelsAndShapesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.softmaxCrossEntropy(Tensor.zeros(2, 3),
                Tensor.wrap(new float[] {0, 3}, 2), null, Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("class index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> be.maxPool(Tensor.zeros(1, 1, 1, 4), 2,
                Tensor.zeros(1, 1, 0, 2)));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
