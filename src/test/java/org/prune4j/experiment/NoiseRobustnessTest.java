package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Boosting;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.data.Dataset;
import org.prune4j.data.Noise;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.KWinners;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.tensor.Rng;

/**
 * The noise and the robustness measurement against independent computations: the corrupted
 * pixels written out from their definition, and a tiny network's accuracy under noise computed
 * here in double (linear, boosted k-winners at evaluation, linear, argmax) on the same images.
 */
class NoiseRobustnessTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());

    private static Dataset data(Rng rng, int n, int side, int classes) {
        float[] px = new float[n * side * side];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
            for (int j = 0; j < side * side; j++) {
                // standardised-looking pixels: a black background at -0.5 and a few bright ones up to 2
                px[i * side * side + j] = rng.nextFloat() < 0.6 ? -0.5f : -0.5f + 2.5f * rng.nextFloat();
            }
        }
        px[0] = -0.5f;
        px[1] = 2f;
        return new Dataset("tiny", px, y, 1, side, side, classes);
    }

    @Test
    void additiveNoiseIsTheCleanPixelPlusLevelTimesRangeTimesItsDrawClipped() {
        Rng rng = new Rng(SEED);
        Dataset d = data(rng, 7, 4, 3);
        Noise.PixelRange range = Noise.PixelRange.of(d);
        assertEquals(-0.5f, range.lo());
        assertEquals(2f, range.hi());
        long seed = rng.nextLong();
        for (Noise.Kind kind : new Noise.Kind[] {Noise.Kind.GAUSSIAN, Noise.Kind.UNIFORM}) {
            for (boolean clip : new boolean[] {true, false}) {
                double level = 0.05 + rng.nextFloat();
                float[] got = new Noise(kind, level, clip).apply(d, range, seed).pixels();
                for (int e = 0; e < d.size(); e++) {
                    Rng r = new Rng(seed).split(e);
                    for (int i = 0; i < 16; i++) {
                        double z = kind == Noise.Kind.GAUSSIAN ? r.nextGaussian() : 2 * r.nextFloat() - 1;
                        double v = d.pixels()[e * 16 + i] + level * 2.5 * z;
                        if (clip) {
                            v = Math.max(-0.5, Math.min(2, v));
                        }
                        assertEquals(v, got[e * 16 + i], 1e-6, kind + " clip " + clip + " seed " + SEED);
                    }
                }
            }
        }
        assertSame(d, new Noise(Noise.Kind.GAUSSIAN, 0, true).apply(d, range, 1));
    }

    @Test
    void noiseHasItsStatedSpreadAndStaysInRangeWhenClipped() {
        Rng rng = new Rng(SEED);
        int n = 400, side = 10;
        Dataset flat = new Dataset("grey", new float[n * side * side], new int[n], 1, side, side, 2);
        Noise.PixelRange range = new Noise.PixelRange(-1, 1, 1);
        float[] g = new Noise(Noise.Kind.GAUSSIAN, 0.1, false).apply(flat, range, rng.nextLong()).pixels();
        double sq = 0;
        for (float v : g) {
            sq += v * v;
        }
        // sd = level x range = 0.1 x 2 over 40,000 draws (relative error of the estimate ~0.4%)
        assertEquals(0.2, Math.sqrt(sq / g.length), 0.004);
        float[] u = new Noise(Noise.Kind.UNIFORM, 0.25, false).apply(flat, range, rng.nextLong()).pixels();
        double max = 0;
        sq = 0;
        for (float v : u) {
            max = Math.max(max, Math.abs(v));
            sq += v * v;
        }
        assertTrue(max <= 0.5, "uniform noise stays within level x range: " + max);
        assertEquals(0.5 / Math.sqrt(3), Math.sqrt(sq / u.length), 0.005);
        for (float v : new Noise(Noise.Kind.GAUSSIAN, 3, true).apply(flat, range, 5).pixels()) {
            assertTrue(v >= -1 && v <= 1, "clipped: " + v);
        }
    }

    @Test
    void pixelNoiseWhitensAFractionOfEachImageTheSamePixelsFirst() {
        Rng rng = new Rng(SEED);
        Dataset d = data(rng, 9, 5, 2);
        Noise.PixelRange range = Noise.PixelRange.of(d);
        double mean = 0, sq = 0;
        for (float v : d.pixels()) {
            mean += v;
            sq += (double) v * v;
        }
        mean /= d.pixels().length;
        double white = mean + 2 * Math.sqrt(sq / d.pixels().length - mean * mean);
        assertEquals(white, range.white(), 1e-5);
        for (float v : d.pixels()) {
            assertTrue(v != range.white());
        }
        float[] low = new Noise(Noise.Kind.PIXELS, 0.2, true).apply(d, range, 3).pixels();
        float[] high = new Noise(Noise.Kind.PIXELS, 0.5, true).apply(d, range, 3).pixels();
        for (int e = 0; e < d.size(); e++) {
            int whiteLow = 0, whiteHigh = 0;
            for (int i = e * 25; i < e * 25 + 25; i++) {
                boolean wl = low[i] != d.pixels()[i], wh = high[i] != d.pixels()[i];
                assertTrue(!wl || low[i] == range.white());
                // the pixels whitened at 0.2 are whitened at 0.5 too
                assertTrue(!wl || high[i] == range.white(), "pixel " + i);
                whiteLow += low[i] == range.white() ? 1 : 0;
                whiteHigh += high[i] == range.white() ? 1 : 0;
            }
            // floor(0.2 x 25) = 5 and floor(0.5 x 25) = 12 pixels (no clean pixel is white already)
            assertEquals(5, whiteLow);
            assertEquals(12, whiteHigh);
        }
        assertThrows(IllegalArgumentException.class, () -> new Noise(Noise.Kind.PIXELS, 1.5, true));
        assertThrows(IllegalArgumentException.class, () -> new Noise(Noise.Kind.GAUSSIAN, -0.1, true));
        String msg = assertThrows(IllegalArgumentException.class, () -> Noise.Kind.named("salt")).getMessage();
        assertTrue(msg.contains("choose gaussian, uniform or pixels"), msg);
    }

    @Test
    void accuracyUnderNoiseMatchesADoublePrecisionForwardOfTheSameImages() {
        Rng rng = new Rng(SEED);
        int side = 3, in = side * side, hidden = 8, classes = 3, k = 2, kEval = 3;
        Boosting boost = new Boosting(1.2, 0.5, 50, 100);
        KWinners kw = new KWinners("kw", hidden, k, kEval, boost, true);
        Model m = new Model("tiny", new int[] {1, side, side}, List.of(new Flatten(), new Linear("fc1", in, hidden),
                kw, new Linear("fc2", hidden, classes)), Initialiser.KAIMING_NORMAL);
        m.initialise(rng);
        float[] duty = m.parameter("kw.duty_cycle").value().data();
        for (int u = 0; u < hidden; u++) {
            duty[u] = rng.nextFloat() * 0.6f;
        }
        m.parameter("kw.seen").value().data()[0] = 120; // two decays: strength 1.2 x 0.25
        for (String b : new String[] {"fc1.bias", "fc2.bias"}) {
            float[] v = m.parameter(b).value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextFloat() - 0.5f;
            }
        }
        Dataset train = data(rng, 30, side, classes), test = data(rng, 200, side, classes);
        double[] levels = {0, 0.1, 0.4, 1.0};
        long seed = rng.nextLong();
        for (Noise.Kind kind : Noise.Kind.values()) {
            double[] got = NoiseRobustness.accuracies(m, train, test, kind, levels, true, seed, be);
            for (int l = 0; l < levels.length; l++) {
                float[] noisy = new Noise(kind, levels[l], true).apply(test,
                        Noise.PixelRange.of(train), seed).pixels();
                int correct = 0;
                for (int e = 0; e < test.size(); e++) {
                    double[] logits = forward(m, Arrays.copyOfRange(noisy, e * in, (e + 1) * in), duty, 1.2 * 0.25, k,
                            kEval);
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        best = logits[c] > logits[best] ? c : best;
                    }
                    correct += best == test.labels()[e] ? 1 : 0;
                }
                assertEquals(correct / (double) test.size(), got[l], 1e-12, kind + " level " + levels[l] + " seed "
                        + SEED);
            }
        }
        // evaluation leaves the buffers alone
        assertEquals(120, m.parameter("kw.seen").value().data()[0]);
    }

    /** fc1, k-winners (evaluation k, boosted by the duty cycles at {@code strength}), fc2, in double. */
    private static double[] forward(Model m, float[] x, float[] duty, double strength, int k, int kEval) {
        float[] w1 = m.parameter("fc1.weight").value().data(), b1 = m.parameter("fc1.bias").value().data();
        float[] w2 = m.parameter("fc2.weight").value().data(), b2 = m.parameter("fc2.bias").value().data();
        int hidden = b1.length, in = x.length, classes = b2.length;
        double[] h = new double[hidden];
        for (int u = 0; u < hidden; u++) {
            h[u] = b1[u];
            for (int i = 0; i < in; i++) {
                h[u] += (double) w1[u * in + i] * x[i];
            }
        }
        double target = (double) kEval / hidden;
        Integer[] order = IntStream.range(0, hidden).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(u -> -h[u] * Math.exp(strength * (target - duty[u])))
                .thenComparingInt(u -> u));
        double[] y = new double[hidden];
        for (int j = 0; j < kEval; j++) {
            y[order[j]] = h[order[j]];
        }
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            logits[c] = b2[c];
            for (int u = 0; u < hidden; u++) {
                logits[c] += w2[c * hidden + u] * y[u];
            }
        }
        return logits;
    }
}
