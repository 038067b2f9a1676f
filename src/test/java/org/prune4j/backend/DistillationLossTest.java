package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The distillation loss against its definition, computed here in double from log-softmaxes,
 * and its gradient against central differences of that reference, on fresh random logits.
 */
class DistillationLossTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());

    /** Mean over rows of weight * T^2 * KL(p_t || p_s) at T, plus (1 - weight) * CE(s, y). */
    private static double reference(double[] s, float[] t, int[] y, int n, int k, double temp, double weight) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] ls = logSoftmax(s, i * k, k, temp), lt = logSoftmax(toDouble(t), i * k, k, temp);
            double[] l1 = logSoftmax(s, i * k, k, 1);
            double kl = 0;
            for (int j = 0; j < k; j++) {
                kl += Math.exp(lt[j]) * (lt[j] - ls[j]);
            }
            total += weight * temp * temp * kl - (1 - weight) * l1[y[i]];
        }
        return total / n;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] logSoftmax(double[] z, int row, int k, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[row + j] / temp);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z[row + j] / temp - max);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = z[row + j] / temp - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void lossAndGradientMatchTheDefinition() {
        Rng rng = new Rng(SEED);
        int[][] shapes = {{1, 1}, {1, 10}, {7, 3}, {60, 10}};
        double[][] settings = {{1, 0}, {1, 1}, {4, 0.9}, {20, 0.5}};
        for (int[] shape : shapes) {
            for (double[] st : settings) {
                int n = shape[0], k = shape[1];
                Tensor s = Tensor.uniform(rng, -6, 6, n, k), t = Tensor.uniform(rng, -6, 6, n, k);
                int[] y = new int[n];
                float[] lf = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = rng.nextInt(k);
                    lf[i] = y[i];
                }
                Tensor grad = Tensor.filled(Float.NaN, n, k), stats = Tensor.zeros(3);
                be.distillationLoss(s, t, Tensor.wrap(lf, n), (float) st[0], (float) st[1], grad, stats);
                double[] sd = toDouble(s.data());
                String what = n + "x" + k + " T " + st[0] + " weight " + st[1] + " seed " + SEED;
                double want = reference(sd, t.data(), y, n, k, st[0], st[1]);
                assertEquals(want, stats.data()[0] / n, 1e-5 * (1 + Math.abs(want)), "loss " + what);
                double h = 1e-4;
                for (int i = 0; i < sd.length; i++) {
                    double v = sd[i];
                    sd[i] = v + h;
                    double up = reference(sd, t.data(), y, n, k, st[0], st[1]);
                    sd[i] = v - h;
                    double down = reference(sd, t.data(), y, n, k, st[0], st[1]);
                    sd[i] = v;
                    double g = (up - down) / (2 * h);
                    assertEquals(g, grad.data()[i], 1e-5 + 1e-4 * Math.abs(g), "gradient " + i + " " + what);
                }
            }
        }
    }

    @Test
    void aStudentEqualToItsTeacherHasNoSoftGradient() {
        Rng rng = new Rng(SEED);
        Tensor s = Tensor.uniform(rng, -3, 3, 5, 4);
        Tensor grad = Tensor.zeros(5, 4), stats = Tensor.zeros(3);
        be.distillationLoss(s, s.copy(), Tensor.wrap(new float[] {0, 1, 2, 3, 0}, 5), 4f, 1f, grad, stats);
        for (float g : grad.data()) {
            assertEquals(0f, g, 1e-7f);
        }
        assertEquals(0f, stats.data()[0], 1e-6f);
    }

    @Test
    void nonFiniteRowsAreCountedAndLeftOut() {
        Tensor s = Tensor.wrap(new float[] {1, 2, Float.NaN, 0}, 2, 2);
        Tensor t = Tensor.wrap(new float[] {0, 0, 0, 0}, 2, 2);
        Tensor grad = Tensor.filled(7f, 2, 2), stats = Tensor.zeros(3);
        be.distillationLoss(s, t, Tensor.wrap(new float[] {1, 0}, 2), 2f, 0.5f, grad, stats);
        assertEquals(1f, stats.data()[2]);
        assertEquals(0f, grad.data()[2]);
        assertEquals(0f, grad.data()[3]);
        assertTrue(stats.data()[1] == 1f, "row 0 predicts class 1 = its label");
    }

    @Test
    void mismatchedTeacherOrBadSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.distillationLoss(Tensor.zeros(2, 3),
                Tensor.zeros(2, 4), Tensor.zeros(2), 2f, 0.5f, Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("teacher logits must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> be.distillationLoss(Tensor.zeros(2, 3),
                Tensor.zeros(2, 3), Tensor.zeros(2), 0f, 0.5f, Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
}
