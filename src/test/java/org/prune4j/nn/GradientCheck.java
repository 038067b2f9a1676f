package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Finite-difference gradient checks: the loss is {@code sum(forward(x) * R)} for a fixed random
 * R, accumulated in double; each checked coordinate is moved by +-h and the central difference
 * is compared with what backward computed.
 */
final class GradientCheck {
    static final double H = 1e-2;

    private GradientCheck() {
    }

    static double loss(Tensor y, float[] r) {
        double s = 0;
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) {
            s += (double) d[i] * r[i];
        }
        return s;
    }

    /**
     * Checks dL/dx and dL/dp for every trainable parameter p of {@code layer}. {@code pass}
     * must return an identical pass each time (same dropout stream).
     */
    static void check(Layer layer, Tensor x, Supplier<Pass> pass, Rng rng, String what) {
        Tensor y = layer.forward(x, pass.get());
        float[] r = Tensor.uniform(rng, -1f, 1f, y.shape()).data();
        Tensor dx = layer.backward(Tensor.wrap(r.clone(), y.shape()));
        compare(x.data(), dx.data(), () -> loss(layer.forward(x, pass.get()), r), rng, what + " dL/dx");
        for (Parameter p : layer.parameters()) {
            if (p.kind() == Parameter.Kind.BUFFER) {
                continue;
            }
            float[] saved = p.grad().data().clone();
            // value() after each edit hands the edited host values to the layer's training form
            // (a sparse layer gathers its stored entries from them).
            compare(p.value().data(), saved, () -> {
                p.value();
                return loss(layer.forward(x, pass.get()), r);
            }, rng, what + " dL/d" + p.name(), p);
        }
    }

    /**
     * Along the gradient itself, d/de L(w + e g) at 0 is |g|^2: one check that covers every
     * parameter of a whole network at once and averages out the kinks single coordinates hit.
     * The step is {@code scale / |g|}; {@code loss} evaluates the network at its present values.
     */
    static void alongTheGradient(java.util.List<Parameter> ps, java.util.function.DoubleSupplier loss, double scale,
            String what) {
        java.util.List<float[]> g = ps.stream().map(p -> p.grad().data().clone()).toList();
        double norm2 = 0;
        for (float[] a : g) {
            for (float v : a) {
                norm2 += (double) v * v;
            }
        }
        double e = scale / Math.sqrt(norm2);
        double[] l = new double[2];
        for (int sgn = 0; sgn < 2; sgn++) {
            shift(ps, g, sgn == 0 ? e : -2 * e);
            l[sgn] = loss.getAsDouble();
        }
        shift(ps, g, e);
        double fd = (l[0] - l[1]) / (2 * e);
        org.junit.jupiter.api.Assertions.assertEquals(norm2, fd, 0.02 * norm2, what
                + ": directional derivative along the gradient");
    }

    private static void shift(java.util.List<Parameter> ps, java.util.List<float[]> g, double step) {
        for (int i = 0; i < ps.size(); i++) {
            float[] w = ps.get(i).value().data();
            for (int j = 0; j < w.length; j++) {
                w[j] += (float) (step * g.get(i)[j]);
            }
        }
    }

    static void compare(float[] values, float[] analytic, java.util.function.DoubleSupplier f, Rng rng, String what) {
        compare(values, analytic, f, rng, what, null, H);
    }

    /** A smaller step for whole networks, where one weight moves hundreds of ReLU inputs. */
    static void compare(float[] values, float[] analytic, java.util.function.DoubleSupplier f, Rng rng, String what,
            double h) {
        compare(values, analytic, f, rng, what, null, h);
    }

    private static void compare(float[] values, float[] analytic, java.util.function.DoubleSupplier f, Rng rng,
            String what, Parameter masked) {
        compare(values, analytic, f, rng, what, masked, H);
    }

    private static void compare(float[] values, float[] analytic, java.util.function.DoubleSupplier f, Rng rng,
            String what, Parameter masked, double h) {
        int checks = Math.min(values.length, 60);
        int kinks = 0;
        for (int c = 0; c < checks; c++) {
            int i = values.length <= 60 ? c : rng.nextInt(values.length);
            if (masked != null && masked.mask() != null && !masked.mask().toArray()[i]) {
                assertTrue(analytic[i] == 0f, what + ": gradient of pruned weight " + i + " is " + analytic[i]);
                continue;
            }
            double fd = central(values, i, h, f);
            // A ReLU or max-pool switching inside [-h, h] makes the difference meaningless there;
            // such a point shows up as disagreement between steps h and h/2 and is skipped.
            if (!close(fd, central(values, i, h / 2, f))) {
                kinks++;
                continue;
            }
            assertTrue(close(fd, analytic[i]), what + "[" + i + "]: backward " + analytic[i] + ", finite difference "
                    + fd);
        }
        assertTrue(kinks <= checks / 5, what + ": " + kinks + " of " + checks + " points sit on a kink");
    }

    private static double central(float[] values, int i, double h, java.util.function.DoubleSupplier f) {
        float v = values[i];
        values[i] = (float) (v + h);
        double up = f.getAsDouble();
        values[i] = (float) (v - h);
        double down = f.getAsDouble();
        values[i] = v;
        return (up - down) / (2 * h);
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 2e-3 + 1e-2 * Math.max(Math.abs(a), Math.abs(b));
    }

    static Supplier<Pass> training(Backend be, long seed) {
        return () -> new Pass(be, true, new Rng(seed));
    }
}
