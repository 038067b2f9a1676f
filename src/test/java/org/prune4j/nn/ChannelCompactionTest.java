package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.prune.ChannelStructure;
import org.prune4j.prune.GlobalScope;
import org.prune4j.prune.LayerwiseScope;
import org.prune4j.prune.MagnitudeScore;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.ScoringContext;
import org.prune4j.prune.StructuredScope;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * A channel-pruned network made smaller for real: its outputs against the masked network's
 * (and, for LeNet-300-100, a double-precision forward of the masked weights), its gradients
 * against the masked network's at the same weights and against a finite difference, and the
 * round trip of what it learns back into the full model.
 */
class ChannelCompactionTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    {
        System.out.println("ChannelCompactionTest seed " + seed);
    }
    private final CpuBackend be = new CpuBackend(CpuBackend.bestGemm());

    /** LeNet-5 needs 12 x 12 inputs at least; the others run on 8 x 8. */
    private static int side(String name) {
        return name.equals("lenet5") ? 12 : 8;
    }

    private Model channelPruned(String name, double keep, boolean global) {
        Model m = Models.create(name, 1, side(name), side(name), 10, rng);
        // BatchNorm with non-trivial statistics and affine terms, so its entries must line up
        for (Parameter p : m.parameters()) {
            if (p.kind() != Parameter.Kind.WEIGHT) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = p.name().endsWith("running_var") ? 0.5f + rng.nextFloat() : rng.uniform(-0.5f, 0.5f);
                }
            }
        }
        ScoringContext ctx = new ScoringContext(m, be, null, 1, 1, rng);
        Pruner.prune(ctx, new MagnitudeScore(), new StructuredScope(new ChannelStructure(),
                global ? new GlobalScope() : new LayerwiseScope(1)), keep, 1);
        return m;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-4 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void theCompactNetworkComputesWhatTheMaskedOneDid() {
        for (String name : new String[] {"lenet300", "conv2", "conv4", "mlp-bn", "lenet5"}) {
            // a global ranking of filters by mean |w| would take every filter of a wide-fan-in conv
            // (and is refused); the MLPs' layers have similar scales
            boolean[] scopes = name.startsWith("conv") || name.equals("lenet5") ? new boolean[] {false}
                    : new boolean[] {false, true};
            for (boolean global : scopes) {
                Model full = channelPruned(name, 0.4, global);
                ChannelCompaction c = ChannelCompaction.of(full);
                assertTrue(c.removedAny(), name);
                assertTrue(c.compact().weightCount() < full.weightCount() && c.compactMacs() < c.fullMacs(), name);
                assertEquals(full.aliveWeights(), c.compact().aliveWeights(), name + ": no live weight lost");
                Tensor x = Tensor.uniform(rng.split(3), 0, 1, 5, 1, side(name), side(name));
                assertClose(full.forward(x, Pass.eval(be)).data(), c.compact().forward(x, Pass.eval(be)).data(),
                        name + (global ? " global" : " layerwise") + " output");
                // in training mode too: BatchNorm's batch statistics are per channel
                assertClose(full.forward(x, new Pass(be, true, new Rng(1))).data(),
                        c.compact().forward(x, new Pass(be, true, new Rng(1))).data(), name + " training output");
            }
        }
    }

    @Test
    void lenetCompactMatchesADoublePrecisionForwardOfTheMaskedWeights() {
        Model full = channelPruned("lenet300", 0.3, false);
        ChannelCompaction c = ChannelCompaction.of(full);
        assertTrue(c.describe().contains("fc1 300 -> 90 neurons") && c.describe().contains("fc2 100 -> 30 neurons"),
                c.describe());
        Tensor x = Tensor.uniform(rng.split(5), -1, 1, 3, 1, 8, 8);
        float[] y = c.compact().forward(x, Pass.eval(be)).data();
        double[] act = new double[64];
        for (int e = 0; e < 3; e++) {
            for (int k = 0; k < 64; k++) {
                act[k] = x.data()[e * 64 + k];
            }
            double[] a = act;
            for (String l : List.of("fc1", "fc2", "fc3")) {
                Parameter w = full.parameter(l + ".weight");
                float[] b = full.parameter(l + ".bias").value().data();
                int rows = w.value().rows(), cols = w.value().cols();
                double[] next = new double[rows];
                for (int i = 0; i < rows; i++) {
                    double s = b[i];
                    for (int j = 0; j < cols; j++) {
                        s += (w.mask().kept(i, j) ? w.value().data()[i * cols + j] : 0.0) * a[j];
                    }
                    next[i] = l.equals("fc3") ? s : Math.max(0, s);
                }
                a = next;
            }
            for (int k = 0; k < 10; k++) {
                assertEquals(a[k], y[e * 10 + k], 1e-5 + 1e-5 * Math.abs(a[k]), "example " + e + " class " + k);
            }
        }
    }

    @Test
    void compactGradientsAreTheMaskedNetworksAndMatchFiniteDifferences() {
        for (String name : new String[] {"conv2", "mlp-bn"}) {
            Model full = channelPruned(name, 0.5, false);
            ChannelCompaction c = ChannelCompaction.of(full);
            Model small = c.compact();
            Tensor x = Tensor.uniform(rng.split(7), 0, 1, 4, 1, 8, 8);
            Tensor yf = full.forward(x, new Pass(be, true, new Rng(1)));
            float[] r = Tensor.uniform(rng.split(8), -1, 1, yf.shape()).data();
            full.backward(Tensor.wrap(r.clone(), yf.shape()));
            Tensor ys = small.forward(x, new Pass(be, true, new Rng(1)));
            small.backward(Tensor.wrap(r.clone(), ys.shape()));
            // the compact network's gradients sit in the full network's at the kept positions:
            // copy them back through the same index map and compare
            for (Parameter p : small.parameters()) {
                if (!p.trainable()) {
                    continue;
                }
                float[] g = p.grad().data();
                float[] gathered = gatherGrad(full, p.name());
                for (int i = 0; i < g.length; i++) {
                    assertEquals(gathered[i], g[i], 1e-5 + 1e-3 * Math.abs(gathered[i]), name + " " + p.name() + "[" + i
                            + "]");
                }
            }
            // and along the gradient, d/de L(w + e g) = |g|^2 on the compact network
            GradientCheck.alongTheGradient(small.parameters().stream().filter(Parameter::trainable).toList(),
                    () -> GradientCheck.loss(small.forward(x, new Pass(be, true, new Rng(1))), r), 1e-4, name);
        }
    }

    /** The full model's gradient of {@code name}, cut to the compact shape by the same index map. */
    private static float[] gatherGrad(Model full, String name) {
        // load the gradients as values into a copy of the full state and compact that
        ModelState st = full.state();
        java.util.Map<String, float[]> v = new java.util.LinkedHashMap<>(st.values());
        for (Parameter p : full.parameters()) {
            if (p.trainable()) {
                v.put(p.name(), p.grad().data().clone());
            }
        }
        Model copy = Models.create(full.name(), 1, 8, 8, 10, new Rng(0));
        copy.load(new ModelState(v, st.masks()));
        return ChannelCompaction.of(copy).compact().parameter(name).value().data();
    }

    @Test
    void whatTheCompactNetworkLearnsGoesBackIntoTheFullOne() {
        Model full = channelPruned("conv2", 0.5, false);
        ChannelCompaction c = ChannelCompaction.of(full);
        for (Parameter p : c.compact().parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] += p.kind() == Parameter.Kind.BUFFER ? 0.25f : 0.01f * (i % 7);
            }
            p.applyMask(d);
        }
        Tensor x = Tensor.uniform(rng.split(11), 0, 1, 3, 1, 8, 8);
        float[] expected = c.compact().forward(x, Pass.eval(be)).data().clone();
        float[] removedBias = full.parameter("fc1.bias").value().data().clone();
        c.copyBackInto(full);
        assertClose(expected, full.forward(x, Pass.eval(be)).data(), "full model after copying back");
        assertEquals(ChannelCompaction.of(full).compact().weightCount(), c.compact().weightCount(),
                "masks unchanged");
        // a removed neuron's bias is left as it was
        Parameter fc1 = full.parameter("fc1.weight");
        int untouched = 0;
        for (int i = 0; i < fc1.value().rows(); i++) {
            if (!rowRead(full, i)) {
                assertEquals(removedBias[i], full.parameter("fc1.bias").value().data()[i], 0f);
                untouched++;
            }
        }
        assertTrue(untouched > 0, "some fc1 neurons were removed");
        assertThrows(IllegalArgumentException.class, () -> c.copyBackInto(Models.create("conv2", 1, 8, 8, 10, rng)));
    }

    private static boolean rowRead(Model m, int channel) {
        Parameter next = m.parameter("fc2.weight");
        for (int i = 0; i < next.value().rows(); i++) {
            if (next.mask().kept(i, channel)) {
                return true;
            }
        }
        return false;
    }
}
