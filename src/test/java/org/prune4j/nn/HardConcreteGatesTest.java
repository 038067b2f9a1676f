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
 * Hard-concrete gates (Louizos et al. 2018): the sample and its derivative against the paper's
 * equations written out in double, the share of open gates over many draws against the closed
 * form of the expected L0 norm (their eq. 12), the test-time gates, the penalty's gradient, and
 * the gated layer's backward against finite differences of data term + lambda/N * E[L0].
 */
class HardConcreteGatesTest {
    private static final long SEED = System.nanoTime();
    private static final double BETA = 2.0 / 3, GAMMA = -0.1, ZETA = 1.1;
    private final Rng rng = new Rng(SEED);
    private final Backend be = new CpuBackend(new JavaGemm());

    private String tag(String s) {
        return s + " (seed " + SEED + ")";
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Eq. 10 of the paper with the reparameterisation u ~ U(0, 1). */
    static double gate(double logAlpha, double u) {
        double s = sigmoid((Math.log(u) - Math.log(1 - u) + logAlpha) / BETA);
        return Math.min(1, Math.max(0, s * (ZETA - GAMMA) + GAMMA));
    }

    /** Eq. 12: the probability that a gate is non-zero. */
    static double probabilityOpen(double logAlpha) {
        return sigmoid(logAlpha - BETA * Math.log(-GAMMA / ZETA));
    }

    private static double u(long seed, long i) {
        return DropoutHash.uniform(seed, i) + 0x1.0p-25;
    }

    @Test
    void samplesAndTheirDerivativeFollowTheEquations() {
        int n = 2000;
        float[] la = new float[n];
        for (int i = 0; i < n; i++) {
            la[i] = rng.uniform(-6f, 6f);
        }
        long seed = rng.nextLong();
        Tensor z = Tensor.zeros(n), dz = Tensor.zeros(n);
        be.hardConcreteGates(Tensor.wrap(la, n), seed, z, dz);
        int zeros = 0, ones = 0;
        for (int i = 0; i < n; i++) {
            double expected = gate(la[i], u(seed, i));
            assertEquals(expected, z.data()[i], 1e-6, tag("z[" + i + "]"));
            double h = 1e-4;
            double fd = (gate(la[i] + h, u(seed, i)) - gate(la[i] - h, u(seed, i))) / (2 * h);
            if (expected > 1e-3 && expected < 1 - 1e-3) {
                assertEquals(fd, dz.data()[i], 1e-4 + 1e-3 * Math.abs(fd), tag("dz[" + i + "]"));
            } else if (expected == 0 || expected == 1) {
                assertEquals(0f, dz.data()[i], 0f, "a clamped gate has no gradient");
            }
            zeros += z.data()[i] == 0f ? 1 : 0;
            ones += z.data()[i] == 1f ? 1 : 0;
        }
        assertTrue(zeros > 0 && ones > 0, "the stretch makes exact zeros and ones");
    }

    @Test
    void theShareOfOpenGatesIsTheClosedFormExpectedL0() {
        for (float la : new float[] {-3f, -1f, 0f, 1.5f}) {
            int n = 40_000;
            Tensor a = Tensor.filled(la, n), z = Tensor.zeros(n), dz = Tensor.zeros(n);
            be.hardConcreteGates(a, rng.nextLong(), z, dz);
            int open = 0;
            for (float v : z.data()) {
                open += v > 0 ? 1 : 0;
            }
            double p = probabilityOpen(la);
            assertEquals(p, open / (double) n, 5 * Math.sqrt(p * (1 - p) / n), tag("P(z > 0) at log alpha " + la));
            Tensor grad = Tensor.zeros(n), sum = Tensor.zeros(1);
            be.hardConcretePenalty(a, 1f, grad, sum);
            assertEquals(n * p, sum.data()[0], 1e-3 * n * p, "the penalty sums P(z > 0)");
        }
    }

    @Test
    void testGatesAndThePenaltyGradient() {
        int n = 500;
        float[] la = new float[n];
        for (int i = 0; i < n; i++) {
            la[i] = rng.uniform(-8f, 8f);
        }
        la[0] = (float) -Math.log(11) - 1e-4f; // just closed
        la[1] = (float) -Math.log(11) + 1e-3f; // just open
        Tensor z = Tensor.zeros(n);
        be.hardConcreteTestGates(Tensor.wrap(la, n), z);
        for (int i = 0; i < n; i++) {
            double expected = Math.min(1, Math.max(0, sigmoid(la[i]) * (ZETA - GAMMA) + GAMMA));
            assertEquals(expected, z.data()[i], 1e-6, tag("test gate " + i));
            assertEquals(la[i] > -Math.log(11), z.data()[i] > 0, "zero exactly when log alpha <= -log 11: " + la[i]);
        }
        Tensor grad = Tensor.filled(0.25f, n), sum = Tensor.zeros(1);
        float scale = 0.3f;
        be.hardConcretePenalty(Tensor.wrap(la, n), scale, grad, sum);
        for (int i = 0; i < n; i++) {
            double h = 1e-4;
            double fd = (probabilityOpen(la[i] + h) - probabilityOpen(la[i] - h)) / (2 * h);
            assertEquals(0.25 + scale * fd, grad.data()[i], 1e-6, tag("penalty gradient " + i + " (added)"));
        }
    }

    @Test
    void gatedLayerBackwardIsTheGradientOfDataTermPlusPenalty() {
        int in = 10, out = 4, n = 3, examples = 5;
        double lambda = 0.7;
        Linear l = new Linear("fc", in, out);
        for (Parameter p : l.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.uniform(-0.5f, 0.5f);
            }
        }
        HardConcreteGates form = new HardConcreteGates(l, lambda, examples, 0.5);
        float[] la = form.logAlpha().value().data();
        for (int i = 0; i < la.length; i++) {
            la[i] = rng.uniform(-1f, 3f);
        }
        l.useForm(form);
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, in);
        long passSeed = rng.nextLong();
        java.util.function.Supplier<Pass> pass = () -> new Pass(be, true, new Rng(passSeed));
        Tensor y = l.forward(x, pass.get());
        // the forward is x (W * z)^T + b with z from eq. 10
        float[] w = l.weight().value().data(), b = l.parameters().get(1).value().data();
        long gateSeed = new Rng(passSeed).nextLong();
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < in; j++) {
                    s += x.data()[i * in + j] * w[o * in + j] * gate(la[o * in + j], u(gateSeed, o * in + j));
                }
                assertEquals(s, y.data()[i * out + o], 1e-5, tag("y"));
            }
        }
        float[] r = Tensor.uniform(rng, -1f, 1f, y.shape()).data();
        Tensor dx = l.backward(Tensor.wrap(r.clone(), y.shape()), true);
        Parameter wp = l.weight(), ap = form.logAlpha();
        float[] gw = wp.grad().data().clone(), ga = ap.grad().data().clone(), gx = dx.data().clone();
        java.util.function.DoubleSupplier objective = () -> {
            wp.value();
            float[] a = ap.value().data();
            double penalty = 0;
            for (float v : a) {
                penalty += probabilityOpen(v);
            }
            return GradientCheck.loss(l.forward(x, pass.get()), r) + lambda / examples * penalty;
        };
        GradientCheck.compare(wp.value().data(), gw, objective, rng, tag("dL/dW"), 1e-3);
        GradientCheck.compare(ap.value().data(), ga, objective, rng, tag("dL/dlog alpha"), 1e-3);
        GradientCheck.compare(x.data(), gx, objective, rng, tag("dL/dx"), 1e-3);
    }

    @Test
    void badArgumentsAreRefused() {
        Linear l = new Linear("fc", 4, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HardConcreteGates(l, 0, 10, 0.5))
                .getMessage().contains("lambda"));
        assertThrows(IllegalArgumentException.class, () -> new HardConcreteGates(l, 0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new HardConcreteGates(l, 0.1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> be.hardConcreteGates(Tensor.zeros(3), 1, Tensor.zeros(3),
                Tensor.zeros(2)));
    }
}
