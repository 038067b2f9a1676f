package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.DropoutHash;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Targeted weight dropout (Gomez et al. 2019): the candidate set and drop decisions against a
 * hand count and a naive re-implementation, the drop rate over many candidates, and the
 * layer's forward and backward against a double-precision product and finite differences.
 */
class TargetedDropoutTest {
    private static final long SEED = System.nanoTime();
    private final Rng rng = new Rng(SEED);
    private final Backend be = new CpuBackend(new JavaGemm());

    private String tag(String s) {
        return s + " (seed " + SEED + ")";
    }

    @Test
    void handCountedCandidatesWithTiesToTheLowerIndex() {
        // row 0: |w| = 0.5 0.1 0.3 0.1 0.9 -> the two smallest are indices 1 and 3 (0.1, 0.1)
        // row 1: |w| = 0.2 0.2 0.2 0.7 0.05 -> 4 (0.05) then the tie 0, 1, 2 goes to index 0
        Tensor w = Tensor.wrap(new float[] {0.5f, -0.1f, 0.3f, 0.1f, -0.9f, 0.2f, -0.2f, 0.2f, 0.7f, -0.05f}, 2, 5);
        Tensor keep = Tensor.zeros(2, 5);
        be.targetedDropoutKeep(w, 2, 1f, 123, keep); // 2 candidates per row, all dropped
        assertEquals(java.util.Arrays.toString(new float[] {1, 0, 1, 0, 1, 0, 1, 1, 1, 0}),
                java.util.Arrays.toString(keep.data()));
        be.targetedDropoutKeep(w, 1, 1f, 123, keep); // 1 candidate
        assertEquals(java.util.Arrays.toString(new float[] {1, 0, 1, 1, 1, 1, 1, 1, 1, 0}),
                java.util.Arrays.toString(keep.data()));
        be.targetedDropoutKeep(w, 2, 0.5f, 77, keep); // a candidate drops when its uniform < 0.5
        int[] candidates = {1, 3, 9, 5};
        for (int i = 0; i < 10; i++) {
            boolean candidate = false;
            for (int c : candidates) {
                candidate |= c == i;
            }
            float expected = candidate && DropoutHash.uniform(77, i) < 0.5f ? 0f : 1f;
            assertEquals(expected, keep.data()[i], "entry " + i);
        }
    }

    /** The keep mask by a naive sort per row, in double. */
    static float[] naiveKeep(float[] w, int rows, int cols, double gamma, double alpha, long seed) {
        float[] keep = new float[w.length];
        int k = (int) Math.floor(gamma * cols);
        for (int r = 0; r < rows; r++) {
            Integer[] idx = new Integer[cols];
            for (int c = 0; c < cols; c++) {
                idx[c] = c;
            }
            int base = r * cols;
            java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs((double) w[base + a]),
                    Math.abs((double) w[base + b])));
            for (int j = 0; j < cols; j++) {
                int i = base + idx[j];
                keep[i] = j < k && DropoutHash.uniform(seed, i) < alpha ? 0f : 1f;
            }
        }
        return keep;
    }

    @Test
    void randomWeightsMatchTheNaiveMaskAndTheDropRateIsAlpha() {
        int rows = 300, cols = 784;
        float[] w = Tensor.uniform(rng, -1f, 1f, rows, cols).data();
        Tensor keep = Tensor.zeros(rows, cols);
        double gamma = 0.9, alpha = 0.5;
        long seed = rng.nextLong();
        be.targetedDropoutKeep(Tensor.wrap(w, rows, cols), (int) Math.floor(gamma * cols), (float) alpha, seed, keep);
        float[] naive = naiveKeep(w, rows, cols, gamma, alpha, seed);
        int dropped = 0;
        for (int i = 0; i < w.length; i++) {
            assertEquals(naive[i], keep.data()[i], tag("entry " + i));
            dropped += keep.data()[i] == 0f ? 1 : 0;
        }
        int candidates = rows * (int) Math.floor(gamma * cols);
        // binomial(candidates, alpha): 211,500 draws, 5 standard deviations is about 0.0054
        assertEquals(alpha, dropped / (double) candidates, 5 * Math.sqrt(alpha * (1 - alpha) / candidates),
                tag("drop rate among the candidates"));
        // alpha 1 prunes exactly the candidates: each row keeps cols - floor(gamma cols)
        be.targetedDropoutKeep(Tensor.wrap(w, rows, cols), (int) Math.floor(gamma * cols), 1f, seed, keep);
        for (int r = 0; r < rows; r++) {
            int kept = 0;
            for (int c = 0; c < cols; c++) {
                kept += (int) keep.data()[r * cols + c];
            }
            assertEquals(cols - 705, kept, "row " + r);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor w = Tensor.zeros(2, 3), keep = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> be.targetedDropoutKeep(w, 4, 0.5f, 1, keep));
        assertThrows(IllegalArgumentException.class, () -> be.targetedDropoutKeep(w, 1, -0.1f, 1, keep));
        assertThrows(IllegalArgumentException.class, () -> be.targetedDropoutKeep(w, 1, 0.5f, 1, Tensor.zeros(5)));
        Linear l = new Linear("fc", 4, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TargetedWeightDropout(l, 1.0, 0.5))
                .getMessage().contains("gamma"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TargetedWeightDropout(l, 0.5, 0))
                .getMessage().contains("alpha"));
    }

    private Linear layer(int in, int out) {
        Linear l = new Linear("fc", in, out);
        for (Parameter p : l.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.uniform(-0.5f, 0.5f);
            }
        }
        return l;
    }

    @Test
    void forwardIsTheProductWithTheDroppedWeightsZeroInTrainingAndThePrunedNetworkInEvaluation() {
        int in = 23, out = 9, n = 5;
        Linear l = layer(in, out);
        TargetedWeightDropout form = new TargetedWeightDropout(l, 0.6, 0.7);
        l.useForm(form);
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, in);
        float[] w = l.weight().value().data().clone(), b = l.parameters().get(1).value().data().clone();
        long passSeed = rng.nextLong();
        Tensor y = l.forward(x, new Pass(be, true, new Rng(passSeed)));
        float[] keep = naiveKeep(w, out, in, 0.6, 0.7, new Rng(passSeed).nextLong());
        assertProduct(x.data(), w, keep, b, y.data(), n, in, out, "training");
        y = l.forward(x, Pass.eval(be));
        assertProduct(x.data(), w, naiveKeep(w, out, in, 0.6, 1, 0), b, y.data(), n, in, out, "evaluation");
    }

    private void assertProduct(float[] x, float[] w, float[] keep, float[] b, float[] y, int n, int in, int out,
            String what) {
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < in; j++) {
                    s += (double) x[i * in + j] * w[o * in + j] * keep[o * in + j];
                }
                assertEquals(s, y[i * out + o], 1e-5, tag(what + " y[" + i + "," + o + "]"));
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesAndDroppedWeightsGetNoGradient() {
        Linear l = layer(17, 6);
        l.useForm(new TargetedWeightDropout(l, 0.5, 0.5));
        long passSeed = rng.nextLong();
        Tensor x = Tensor.uniform(rng, -1f, 1f, 4, 17);
        GradientCheck.check(l, x, GradientCheck.training(be, passSeed), rng, tag("targeted dropout Linear"));
        float[] w = l.weight().value().data();
        float[] keep = naiveKeep(w, 6, 17, 0.5, 0.5, new Rng(passSeed).nextLong());
        l.forward(x, new Pass(be, true, new Rng(passSeed)));
        l.backward(Tensor.uniform(rng, -1f, 1f, 4, 6), true);
        float[] g = l.weight().grad().data();
        int dropped = 0;
        for (int i = 0; i < g.length; i++) {
            if (keep[i] == 0f) {
                assertEquals(0.0, g[i], 0.0, "a dropped weight's gradient");
                dropped++;
            }
        }
        assertTrue(dropped > 0, tag("some weight was dropped"));
    }
}
