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
 * Sparse variational dropout (Molchanov et al. 2017): the KL approximation against their
 * formula written out in double and against the true KL by numerical integration (their claim:
 * within 0.01 up to a constant), its gradient against finite differences, the local
 * reparameterisation's samples against the mean and variance they must have, and the layer's
 * backward (data term plus KL / N) against finite differences.
 */
class VariationalDropoutTest {
    private static final long SEED = System.nanoTime();
    private static final double K1 = 0.63576, K2 = 1.87320, K3 = 1.48695;
    private final Rng rng = new Rng(SEED);
    private final Backend be = new CpuBackend(new JavaGemm());

    private String tag(String s) {
        return s + " (seed " + SEED + ")";
    }

    private static double logAlpha(double w, double logSigma2) {
        return Math.max(-8, Math.min(8, logSigma2 - Math.log(w * w + 1e-8)));
    }

    /** The paper's eq. 14 with C = -k1: KL = -(k1 sigmoid(k2 + k3 la) - 0.5 log(1 + 1/alpha) - k1). */
    static double naiveKl(double la) {
        return -(K1 / (1 + Math.exp(-(K2 + K3 * la))) - 0.5 * Math.log(1 + Math.exp(-la)) - K1);
    }

    static double naiveKl(float[] w, float[] logSigma2) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += naiveKl(logAlpha(w[i], logSigma2[i]));
        }
        return s;
    }

    @Test
    void klSumMatchesTheFormulaAndItsGradientFiniteDifferences() {
        int n = 400;
        float[] w = new float[n], ls = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.uniform(-1f, 1f);
            ls[i] = rng.uniform(-9f, 2f);
        }
        w[0] = 0f; // log alpha clipped at +8
        ls[1] = -30f; // clipped at -8
        Tensor gw = Tensor.zeros(n), gs = Tensor.zeros(n), sum = Tensor.zeros(1);
        float scale = 0.5f;
        be.variationalDropoutKl(Tensor.wrap(w, n), Tensor.wrap(ls, n), scale, gw, gs, sum);
        assertEquals(naiveKl(w, ls), sum.data()[0], 1e-4 * n, tag("KL sum"));
        assertEquals(0f, gw.data()[0], 0f, "no gradient through the clip");
        assertEquals(0f, gs.data()[1], 0f, "no gradient through the clip");
        double h = 1e-3;
        for (int i = 2; i < n; i++) {
            double la = ls[i] - Math.log((double) w[i] * w[i] + 1e-8);
            if (Math.abs(Math.abs(la) - 8) < 0.1) {
                continue; // the clip's kink
            }
            double dls = (naiveKl(logAlpha(w[i], ls[i] + h)) - naiveKl(logAlpha(w[i], ls[i] - h))) / (2 * h);
            double hw = 1e-3 * Math.abs(w[i]); // log w^2 moves by the same relative step whatever |w|
            double dw = (naiveKl(logAlpha(w[i] + hw, ls[i])) - naiveKl(logAlpha(w[i] - hw, ls[i]))) / (2 * hw);
            assertEquals(scale * dls, gs.data()[i], 1e-4 + 1e-3 * Math.abs(dls), tag("dKL/dlog sigma^2 [" + i + "]"));
            assertEquals(scale * dw, gw.data()[i], 1e-3 + 1e-2 * Math.abs(dw), tag("dKL/dw [" + i + "] w " + w[i]));
        }
        // it adds: a second call doubles the gradient
        float g2 = gs.data()[5];
        be.variationalDropoutKl(Tensor.wrap(w, n), Tensor.wrap(ls, n), scale, gw, gs, sum);
        assertEquals(2 * g2, gs.data()[5], 1e-6 * Math.abs(g2) + 1e-9);
    }

    /**
     * The true negative KL up to a constant, 0.5 log alpha - E log|e| with e ~ N(1, alpha)
     * (the paper's eq. 13 without C), by the trapezoid rule on a fine grid.
     */
    private static double trueNegKlUpToConstant(double la) {
        double alpha = Math.exp(la), sd = Math.sqrt(alpha);
        double lo = 1 - 12 * sd, hi = 1 + 12 * sd;
        int steps = 400_001;
        double h = (hi - lo) / (steps - 1), e = 0;
        for (int k = 0; k < steps; k++) {
            double x = lo + k * h;
            if (x == 0) {
                x = 1e-300;
            }
            double pdf = Math.exp(-0.5 * (x - 1) * (x - 1) / alpha) / (sd * Math.sqrt(2 * Math.PI));
            e += (k == 0 || k == steps - 1 ? 0.5 : 1) * pdf * Math.log(Math.abs(x));
        }
        return 0.5 * la - e * h;
    }

    @Test
    void theApproximationIsWithinTheirStatedErrorOfTheTrueKl() {
        double[] la = {-4, -3, -2, -1, 0, 1, 2, 3, 4};
        double[] diff = new double[la.length];
        double mean = 0;
        for (int i = 0; i < la.length; i++) {
            diff[i] = -naiveKl(la[i]) - trueNegKlUpToConstant(la[i]);
            mean += diff[i] / la.length;
        }
        for (int i = 0; i < la.length; i++) {
            assertEquals(mean, diff[i], 0.02, "log alpha " + la[i] + ": the fit leaves the true KL by more than "
                    + "the paper's 0.01 (plus integration error)");
        }
    }

    private Linear layer(int in, int out, VariationalDropout[] form, int examples) {
        Linear l = new Linear("fc", in, out);
        for (Parameter p : l.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.uniform(-0.5f, 0.5f);
            }
        }
        form[0] = new VariationalDropout(l, examples, 3);
        float[] ls = form[0].logSigma2().value().data();
        for (int i = 0; i < ls.length; i++) {
            ls[i] = rng.uniform(-6f, 0f);
        }
        l.useForm(form[0]);
        return l;
    }

    private static double normal(long seed, long i) {
        double u1 = 1.0 - DropoutHash.uniform(seed, 2 * i), u2 = DropoutHash.uniform(seed, 2 * i + 1);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Test
    void trainingSamplesHaveTheMeanAndVarianceOfTheGaussianWeightsAndEvaluationPrunesAtThree() {
        int in = 11, out = 5, n = 3;
        VariationalDropout[] f = new VariationalDropout[1];
        Linear l = layer(in, out, f, 100);
        float[] w = l.weight().value().data().clone(), b = l.parameters().get(1).value().data().clone();
        float[] ls = f[0].logSigma2().value().data().clone();
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, in);
        double[] mean = new double[n * out], var = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                mean[i * out + o] = b[o];
                for (int j = 0; j < in; j++) {
                    double xv = x.data()[i * in + j];
                    mean[i * out + o] += xv * w[o * in + j];
                    var[i * out + o] += xv * xv * Math.exp(ls[o * in + j]);
                }
            }
        }
        // one sample against the formula with the same counter-based noise
        long passSeed = rng.nextLong();
        float[] y = l.forward(x, new Pass(be, true, new Rng(passSeed))).data();
        long noise = new Rng(passSeed).nextLong();
        for (int k = 0; k < y.length; k++) {
            assertEquals(mean[k] + Math.sqrt(var[k]) * normal(noise, k), y[k], 1e-4, tag("sample " + k));
        }
        // many samples: their moments are those of sum_j x_j w_j with w_j ~ N(theta_j, sigma_j^2)
        int samples = 4000;
        double[] s1 = new double[y.length], s2 = new double[y.length];
        Rng stream = new Rng(rng.nextLong());
        for (int s = 0; s < samples; s++) {
            float[] ys = l.forward(x, new Pass(be, true, stream)).data();
            for (int k = 0; k < ys.length; k++) {
                s1[k] += ys[k];
                s2[k] += (double) ys[k] * ys[k];
            }
        }
        for (int k = 0; k < y.length; k++) {
            double m = s1[k] / samples, v = s2[k] / samples - m * m;
            assertEquals(mean[k], m, 5 * Math.sqrt(var[k] / samples) + 1e-6, tag("sample mean " + k));
            assertEquals(var[k], v, 5 * var[k] * Math.sqrt(2.0 / samples) + 1e-9, tag("sample variance " + k));
        }
        // evaluation: the means, with log alpha >= 3 pruned
        ls[0] = (float) (Math.log((double) w[0] * w[0]) + 3.5);
        ls[1] = (float) (Math.log((double) w[1] * w[1]) + 2.5);
        System.arraycopy(ls, 0, f[0].logSigma2().value().data(), 0, ls.length);
        float[] ye = l.forward(x, Pass.eval(be)).data();
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < in; j++) {
                    int e = o * in + j;
                    s += logAlpha(w[e], ls[e]) < 3 ? x.data()[i * in + j] * w[e] : 0;
                }
                assertEquals(s, ye[i * out + o], 1e-5, tag("evaluation y"));
            }
        }
        float[] gates = f[0].testGates(be).data();
        assertEquals(0f, gates[0]);
        assertEquals(1f, gates[1]);
    }

    @Test
    void backwardIsTheGradientOfTheDataTermPlusKlOverN() {
        int in = 9, out = 4, n = 3, examples = 7;
        VariationalDropout[] f = new VariationalDropout[1];
        Linear l = layer(in, out, f, examples);
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, in);
        long passSeed = rng.nextLong();
        java.util.function.Supplier<Pass> pass = () -> new Pass(be, true, new Rng(passSeed));
        Tensor y = l.forward(x, pass.get());
        float[] r = Tensor.uniform(rng, -1f, 1f, y.shape()).data();
        Tensor dx = l.backward(Tensor.wrap(r.clone(), y.shape()), true);
        Parameter w = l.weight(), ls = f[0].logSigma2();
        float[] gw = w.grad().data().clone(), gs = ls.grad().data().clone(), gx = dx.data().clone();
        java.util.function.DoubleSupplier objective = () -> {
            w.value();
            ls.value();
            return GradientCheck.loss(l.forward(x, pass.get()), r)
                    + naiveKl(w.value().data(), ls.value().data()) / examples;
        };
        GradientCheck.compare(w.value().data(), gw, objective, rng, tag("dL/dtheta"), 1e-3);
        GradientCheck.compare(ls.value().data(), gs, objective, rng, tag("dL/dlog sigma^2"), 1e-3);
        GradientCheck.compare(x.data(), gx, objective, rng, tag("dL/dx"), 1e-3);
    }

    @Test
    void badArgumentsAreRefused() {
        Linear l = new Linear("fc", 4, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new VariationalDropout(l, 0, 3)).getMessage()
                .contains("training-set size"));
        assertThrows(IllegalArgumentException.class, () -> new VariationalDropout(l, 10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> be.variationalDropoutKl(Tensor.zeros(3), Tensor.zeros(4),
                1f, Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(1)));
    }
}
