package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Boosting;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * k-winners-take-all against a naive double-precision reference (sort every value of an example
 * by boosted value, ties to the lower index, keep the first k), hand-worked cases (ties, k = 1,
 * k = all, boosting changing the winner, a convolution's volume, the duty-cycle update, the
 * strength's decay), and finite differences through the layer.
 */
class KWinnersTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());

    /** The reference: winners of each example as 0/1, boosted in double. */
    private static float[] referenceWinners(float[] x, int n, int units, int spatial, int k, double strength,
            float[] duty) {
        int m = units * spatial;
        float[] w = new float[x.length];
        for (int e = 0; e < n; e++) {
            int off = e * m;
            double[] b = new double[m];
            for (int i = 0; i < m; i++) {
                double f = Math.exp(strength * ((double) k / m - duty[i / spatial]));
                b[i] = x[off + i] * f;
            }
            Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -b[i]).thenComparingInt(i -> i));
            for (int j = 0; j < k; j++) {
                w[off + order[j]] = 1f;
            }
        }
        return w;
    }

    private float[][] run(float[] x, int[] shape, int units, int k, Boosting boost, boolean training, float[] duty,
            float seen) {
        Tensor y = Tensor.zeros(shape), winners = Tensor.zeros(shape);
        be.kWinners(Tensor.wrap(x, shape), units, k, boost, training, Tensor.wrap(duty, duty.length),
                Tensor.wrap(new float[] {seen}, 1), y, winners);
        return new float[][] {y.data(), winners.data()};
    }

    @Test
    void randomInputsMatchTheNaiveReference() {
        Rng rng = new Rng(SEED);
        for (int trial = 0; trial < 40; trial++) {
            boolean conv = trial % 2 == 1;
            int n = 1 + rng.nextInt(5), units = 1 + rng.nextInt(12), spatial = conv ? 1 + rng.nextInt(9) : 1;
            int m = units * spatial, k = 1 + rng.nextInt(m);
            int[] shape = conv ? new int[] {n, units, 1, spatial} : new int[] {n, units};
            float[] x = Tensor.uniform(rng, -2, 2, n * m).data();
            if (trial % 5 == 0) {
                // small integers: many exact ties
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextInt(4) - 1;
                }
            }
            float[] duty = Tensor.uniform(rng, 0, 1, units).data();
            Boosting boost = new Boosting(trial % 3 == 0 ? 0 : 2 * rng.nextFloat(), 0.5, 100, 1000);
            float seen = rng.nextInt(400);
            float[][] got = run(x, shape, units, k, boost, false, duty.clone(), seen);
            double strength = boost.strength() * Math.pow(0.5, Math.floor(seen / 100));
            float[] want = referenceWinners(x, n, units, spatial, k, strength, duty);
            String what = "seed " + SEED + " trial " + trial + " n " + n + " units " + units + " spatial " + spatial
                    + " k " + k;
            assertArrayEquals(want, got[1], what);
            for (int i = 0; i < x.length; i++) {
                assertEquals(want[i] == 1f ? x[i] : 0f, got[0][i], what + " y[" + i + "]");
            }
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndKRunsFromOneToAll() {
        float[] x = {1, 3, 3, 2, 3};
        int[] s = {1, 5};
        assertArrayEquals(new float[] {0, 1, 1, 0, 0}, run(x, s, 5, 2, Boosting.NONE, false, new float[5], 0)[1]);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0}, run(x, s, 5, 1, Boosting.NONE, false, new float[5], 0)[1]);
        float[][] all = run(x, s, 5, 5, Boosting.NONE, false, new float[5], 0);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, all[1]);
        assertArrayEquals(x, all[0]);
        // -0 and 0 tie: the lower index wins
        assertArrayEquals(new float[] {0, 1, 0}, run(new float[] {-1, -0f, 0f}, new int[] {1, 3}, 3, 1,
                Boosting.NONE, false, new float[3], 0)[1]);
        String msg = assertThrows(IllegalArgumentException.class, () -> run(x, s, 5, 6, Boosting.NONE, false,
                new float[5], 0)).getMessage();
        assertTrue(msg.contains("k must be in 1..5"), msg);
    }

    @Test
    void boostingChangesTheWinnerButNotTheOutput() {
        // target 1/2; unit 0 won every recent example (duty 1), unit 1 none: with strength 1 the
        // factors are exp(-0.5) = 0.607 and exp(0.5) = 1.649, so 0.9 * 1.649 = 1.48 beats 1.0 * 0.607
        float[] x = {1.0f, 0.9f};
        float[] duty = {1f, 0f};
        float[][] plain = run(x, new int[] {1, 2}, 2, 1, Boosting.NONE, false, duty, 0);
        assertArrayEquals(new float[] {1, 0}, plain[1]);
        float[][] boosted = run(x, new int[] {1, 2}, 2, 1, new Boosting(1, 1, 1, 10), false, duty, 0);
        assertArrayEquals(new float[] {0, 1}, boosted[1]);
        assertArrayEquals(new float[] {0, 0.9f}, boosted[0]);
        // decayed to 0.2 after 100 examples: 0.9 * exp(0.1) = 0.995 beats 1.0 * exp(-0.1) = 0.905, unit 1
        // still wins; to 0.04 after 200: 1.0 * exp(-0.02) = 0.980 beats 0.9 * exp(0.02) = 0.918, unit 0 again
        Boosting decaying = new Boosting(1, 0.2, 100, 10);
        assertArrayEquals(new float[] {0, 1}, run(x, new int[] {1, 2}, 2, 1, decaying, false, duty, 100)[1]);
        assertArrayEquals(new float[] {1, 0}, run(x, new int[] {1, 2}, 2, 1, decaying, false, duty, 200)[1]);
        assertEquals(1, decaying.strengthAfter(99), 0);
        assertEquals(0.2, decaying.strengthAfter(100), 1e-12);
        assertEquals(0.04, decaying.strengthAfter(250), 1e-12);
    }

    @Test
    void convolutionWinnersComeFromTheWholeVolumeBoostedPerChannel() {
        // one image, 2 channels of 2x2; k = 3 of 8; channel 1's duty cycle 0 boosts it by
        // exp(2 * 3/8) = 2.117, channel 0's 0.75 damps it by exp(2 * (3/8 - 3/4)) = 0.472
        float[] x = {4, 1, 3, 2,   1.5f, 0.5f, 1, 2};
        float[] duty = {0.75f, 0f};
        int[] s = {1, 2, 2, 2};
        // boosted: 1.89 0.47 1.42 0.94 | 3.18 1.06 2.12 4.23 -> winners 7, 4, 6
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 1, 1}, run(x, s, 2, 3, new Boosting(2, 1, 1, 10), false,
                duty, 0)[1]);
        // unboosted: 4, 3, 2 (index 3 before 7)
        assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0, 0, 0}, run(x, s, 2, 3, Boosting.NONE, false, duty, 0)[1]);
    }

    @Test
    void dutyCyclesFollowTheRunningAverageWorkedByHand() {
        // period 4, batches of 2, two units; a[u] counts positive outputs
        Boosting b = new Boosting(0, 1, 1, 4);
        float[] duty = new float[2];
        float[] seen = {0};
        step(new float[] {5, -1, 3, -2}, duty, seen, b); // a = [2, 0], p = 2: duty = a / 2
        assertArrayEquals(new float[] {1, 0}, duty, 1e-6f);
        step(new float[] {5, -1, -1, 2}, duty, seen, b); // a = [1, 1], p = 4: (d * 2 + a) / 4
        assertArrayEquals(new float[] {0.75f, 0.25f}, duty, 1e-6f);
        assertEquals(4, seen[0]);
        step(new float[] {-3, 1, -1, 2}, duty, seen, b); // negative winners do not count: a = [0, 2]
        assertArrayEquals(new float[] {0.375f, 0.625f}, duty, 1e-6f);
        assertEquals(6, seen[0]);
        // a convolution's channel counts its positive outputs over positions, divided by H x W:
        // 1 image, 2 channels of 2 positions, k = 3: winners 9, 8, 7 -> channel 0 has 1 of 2 positive
        float[] cd = new float[2];
        float[] cs = {0};
        Tensor x = Tensor.wrap(new float[] {9, -5, 8, 7}, 1, 2, 1, 2);
        be.kWinners(x, 2, 3, new Boosting(0, 1, 1, 10), true, Tensor.wrap(cd, 2), Tensor.wrap(cs, 1),
                Tensor.zeros(1, 2, 1, 2), Tensor.zeros(1, 2, 1, 2));
        // p = min(10, 1) = 1: duty = a / spatial = [1/2, 2/2]
        assertArrayEquals(new float[] {0.5f, 1f}, cd, 1e-6f);
        String msg = assertThrows(IllegalArgumentException.class, () -> be.kWinners(Tensor.zeros(3, 2), 2, 1,
                new Boosting(0, 1, 1, 2), true, Tensor.zeros(2), Tensor.zeros(1), Tensor.zeros(3, 2),
                Tensor.zeros(3, 2))).getMessage();
        assertTrue(msg.contains("period of at least the batch size"), msg);
    }

    private void step(float[] x, float[] duty, float[] seen, Boosting b) {
        // k = 1 of 2 units: each example's larger value wins, and counts when positive
        be.kWinners(Tensor.wrap(x, 2, 2), 2, 1, b, true, Tensor.wrap(duty, 2), Tensor.wrap(seen, 1), Tensor.zeros(2, 2),
                Tensor.zeros(2, 2));
    }

    @Test
    void theLayerTrainsWithKAndEvaluatesWithItsEvaluationK() {
        Rng rng = new Rng(SEED);
        KWinners layer = new KWinners("kw", 10, 2, 4, new Boosting(1, 1, 1, 100), false);
        Tensor x = Tensor.uniform(rng, 0.1f, 1, 6, 10);
        Tensor y = layer.forward(x, new Pass(be, true, rng));
        for (int e = 0; e < 6; e++) {
            int nz = 0;
            for (int i = 0; i < 10; i++) {
                nz += y.data()[e * 10 + i] != 0 ? 1 : 0;
            }
            assertEquals(2, nz);
        }
        assertEquals(6, layer.examplesSeen());
        float[] duty = layer.dutyCycles();
        assertEquals(0.2, IntStream.range(0, 10).mapToDouble(i -> duty[i]).sum() / 10, 1e-6);
        // evaluation: 4 winners, no boost (boostAtEvaluation false), nothing updated
        Tensor ye = layer.forward(x, Pass.eval(be));
        float[] want = referenceWinners(x.data(), 6, 10, 1, 4, 0, duty);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i] * x.data()[i], ye.data()[i]);
        }
        assertEquals(6, layer.examplesSeen());
        assertArrayEquals(duty, layer.dutyCycles());
        assertEquals(Parameter.Kind.BUFFER, layer.parameters().get(0).kind());
        assertThrows(IllegalArgumentException.class, () -> layer.outputShape(new int[] {8}));
        // another evaluation rule: 1 winner, boosted by the duty cycles
        layer.setEvaluation(1, true);
        Tensor y1 = layer.forward(x, Pass.eval(be));
        float[] want1 = referenceWinners(x.data(), 6, 10, 1, 1, 1, duty);
        for (int i = 0; i < want1.length; i++) {
            assertEquals(want1[i] * x.data()[i], y1.data()[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> layer.setEvaluation(11, false));
        String msg = assertThrows(IllegalArgumentException.class, () -> new KWinners("kw", 10, 50, 50, Boosting.NONE,
                false).outputShape(new int[] {10})).getMessage();
        assertTrue(msg.contains("must not exceed the 10 values"), msg);
    }

    @Test
    void gradientsFlowThroughTheWinnersOnly() {
        Rng rng = new Rng(SEED);
        // values 0.25 apart in random order, so a step of 0.01 moves no value past another
        int n = 3, units = 4, spatial = 6, m = units * spatial;
        float[] x = new float[n * m];
        for (int e = 0; e < n; e++) {
            int[] perm = new int[m];
            Arrays.setAll(perm, i -> i);
            rng.shuffle(perm);
            for (int i = 0; i < m; i++) {
                x[e * m + i] = 0.25f * (perm[i] - m / 2f);
            }
        }
        KWinners plain = new KWinners("kw", units, 7, 7, Boosting.NONE, false);
        GradientCheck.check(plain, Tensor.wrap(x.clone(), n, units, 2, 3), () -> new Pass(be, true, new Rng(1)),
                rng, "k-winners, training, seed " + SEED);
        // boosted evaluation with fixed duty cycles: the backward pass masks by the same winners
        KWinners boosted = new KWinners("kwb", units, 7, 9, new Boosting(1, 1, 1, 1000), true);
        boosted.parameters().get(0).value().data()[1] = 0.9f;
        boosted.parameters().get(0).value().data()[2] = 0.05f;
        Tensor xb = Tensor.wrap(x.clone(), n, units, 2, 3);
        Tensor y = boosted.forward(xb, Pass.eval(be));
        float[] r = Tensor.uniform(rng, -1, 1, y.shape()).data();
        Tensor dx = boosted.backward(Tensor.wrap(r.clone(), y.shape()));
        float[] want = referenceWinners(x, n, units, spatial, 9, 1, boosted.dutyCycles());
        for (int i = 0; i < x.length; i++) {
            assertEquals(want[i] * r[i], dx.data()[i], 0f, "dx[" + i + "]");
        }
        GradientCheck.check(boosted, xb, () -> Pass.eval(be), rng, "boosted k-winners, evaluation, seed " + SEED);
    }
}
