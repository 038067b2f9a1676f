package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** Every layer's backward against central finite differences of its forward, on fresh random inputs. */
class LayerGradientTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    private String tag(String s) {
        return s + " (seed " + seed + ")";
    }

    /** Values kept away from ReLU and max-pool kinks so a +-h step does not cross them. */
    private Tensor awayFromZero(int... shape) {
        Tensor t = Tensor.uniform(rng, 0.1f, 1f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= rng.nextBoolean(0.5) ? 1 : -1;
        }
        return t;
    }

    private void randomise(Layer l) {
        for (Parameter p : l.parameters()) {
            if (p.kind() != Parameter.Kind.BUFFER) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = rng.uniform(-0.5f, 0.5f);
                }
                p.applyMask(d);
            }
        }
    }

    @Test
    void linearDense() {
        Linear l = new Linear("fc", 13, 7);
        randomise(l);
        GradientCheck.check(l, awayFromZero(5, 13), GradientCheck.training(be, 1), rng, tag("Linear"));
    }

    @Test
    void linearSparseMatchesFiniteDifferencesAndKeepsPrunedGradientsZero() {
        for (double density : new double[] {0.0, 0.1, 0.3, 0.95}) {
            Linear l = new Linear("fc", 37, 11);
            l.weight().setMask(Mask.random(11, 37, density, rng));
            randomise(l);
            String line = l.chooseKernel(new KernelPolicy(1.0, "test"));
            // An empty mask is whole blocks of any size, so it may take the block kernels.
            assertTrue(line.contains("CSR") || density == 0 && line.contains("block-sparse"), line);
            assertTrue(l.sparseKernel());
            GradientCheck.check(l, awayFromZero(4, 37), GradientCheck.training(be, 1), rng,
                    tag("sparse Linear density " + density));
        }
    }

    @Test
    void blockSparseLinearAndConvMatchFiniteDifferences() {
        BlockShape b = new BlockShape(4, 8);
        Linear l = new Linear("fc", 37, 11);
        l.weight().setMask(b.randomMask(11, 37, 0.4, rng));
        randomise(l);
        String line = l.chooseKernel(new KernelPolicy(1.0, "test"));
        // a random 4x8 mask is sometimes also whole 4x16 (or 8x8) blocks, which detection then reports
        BlockShape got = l.weight().blocks();
        assertTrue(line.contains("block-sparse products (" + got + " blocks)") && got.rows() % 4 == 0
                && got.cols() % 8 == 0, line);
        GradientCheck.check(l, awayFromZero(5, 37), GradientCheck.training(be, 1), rng, tag("block-sparse Linear"));
        Conv2d c = new Conv2d("conv", 2, 5, 3, 1);
        c.weight().setMask(new BlockShape(4, 4).randomMask(5, 18, 0.5, rng));
        randomise(c);
        line = c.chooseKernel(new KernelPolicy(1.0, "test"));
        assertTrue(line.contains("block-sparse"), line);
        GradientCheck.check(c, awayFromZero(2, 2, 5, 6), GradientCheck.training(be, 1), rng,
                tag("block-sparse Conv2d"));
    }

    @Test
    void sparseAndDenseKernelsAgree() {
        Linear sparse = new Linear("fc", 50, 20);
        Mask m = Mask.random(20, 50, 0.2, rng);
        sparse.weight().setMask(m);
        randomise(sparse);
        Linear dense = new Linear("fc", 50, 20);
        dense.weight().setMask(m);
        System.arraycopy(sparse.weight().value().data(), 0, dense.weight().value().data(), 0, 1000);
        System.arraycopy(sparse.parameters().get(1).value().data(), 0, dense.parameters().get(1).value().data(), 0, 20);
        sparse.chooseKernel(new KernelPolicy(1.0, "test"));
        dense.chooseKernel(KernelPolicy.DENSE);
        assertTrue(sparse.sparseKernel() && !dense.sparseKernel());
        Tensor x = Tensor.uniform(rng, -1, 1, 9, 50);
        Pass p = Pass.eval(be);
        float[] ys = sparse.forward(x, p).data(), yd = dense.forward(x, p).data();
        Tensor dy = Tensor.uniform(rng, -1, 1, 9, 20);
        float[] dxs = sparse.backward(dy).data(), dxd = dense.backward(dy).data();
        for (int i = 0; i < ys.length; i++) {
            assertEquals(yd[i], ys[i], 1e-5, tag("forward " + i));
        }
        for (int i = 0; i < dxs.length; i++) {
            assertEquals(dxd[i], dxs[i], 1e-5, tag("dx " + i));
        }
        float[] gs = sparse.weight().grad().data(), gd = dense.weight().grad().data();
        for (int i = 0; i < gs.length; i++) {
            assertEquals(gd[i], gs[i], 1e-5, tag("dW " + i));
        }
    }

    @Test
    void conv2dDenseAndSparse() {
        Conv2d c = new Conv2d("conv", 3, 4, 3, 1);
        randomise(c);
        GradientCheck.check(c, awayFromZero(2, 3, 5, 6), GradientCheck.training(be, 1), rng, tag("Conv2d"));
        Conv2d c5 = new Conv2d("conv", 1, 6, 5, 2);
        randomise(c5);
        GradientCheck.check(c5, awayFromZero(3, 1, 12, 12), GradientCheck.training(be, 1), rng, tag("Conv2d k5 pad2"));
        Conv2d s = new Conv2d("conv", 2, 3, 5, 0);
        s.weight().setMask(Mask.random(3, 50, 0.3, rng));
        randomise(s);
        s.chooseKernel(new KernelPolicy(1.0, "test"));
        GradientCheck.check(s, awayFromZero(2, 2, 7, 6), GradientCheck.training(be, 1), rng, tag("sparse Conv2d"));
    }

    @Test
    void conv2dForwardMatchesDirectConvolution() {
        Conv2d c = new Conv2d("conv", 2, 3, 3, 1);
        randomise(c);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 2, 4, 5);
        float[] y = c.forward(x, Pass.eval(be)).data();
        float[] w = c.weight().value().data(), b = c.parameters().get(1).value().data(), xd = x.data();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 5; j++) {
                        double s = b[o];
                        for (int ch = 0; ch < 2; ch++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int iy = i + ky - 1, ix = j + kx - 1;
                                    if (iy >= 0 && iy < 4 && ix >= 0 && ix < 5) {
                                        s += (double) w[o * 18 + ch * 9 + ky * 3 + kx] * xd[((n * 2 + ch) * 4 + iy) * 5 + ix];
                                    }
                                }
                            }
                        }
                        assertEquals(s, y[((n * 3 + o) * 4 + i) * 5 + j], 1e-5, tag("conv output"));
                    }
                }
            }
        }
    }

    @Test
    void maxPoolReluFlatten() {
        Tensor x = Tensor.zeros(2, 3, 5, 4);
        // distinct values so a +-h step never changes which element wins a window
        float[] d = x.data();
        int[] perm = new int[d.length];
        java.util.Arrays.setAll(perm, i -> i);
        rng.shuffle(perm);
        for (int i = 0; i < d.length; i++) {
            d[i] = (perm[i] - d.length / 2f) * 0.05f + 0.025f;
        }
        GradientCheck.check(new MaxPool2d(2), x, GradientCheck.training(be, 1), rng, tag("MaxPool2d"));
        GradientCheck.check(new ReLU(), awayFromZero(3, 8), GradientCheck.training(be, 1), rng, tag("ReLU"));
        GradientCheck.check(new Flatten(), awayFromZero(2, 3, 2, 2), GradientCheck.training(be, 1), rng, tag("Flatten"));
    }

    @Test
    void batchNormTrainingAndEvaluation() {
        BatchNorm bn = new BatchNorm("bn", 4);
        randomise(bn);
        GradientCheck.check(bn, Tensor.uniform(rng, -1, 2, 6, 4), GradientCheck.training(be, 1), rng, tag("BatchNorm 2-D"));
        GradientCheck.check(bn, Tensor.uniform(rng, -1, 2, 3, 4, 3, 2), GradientCheck.training(be, 1), rng,
                tag("BatchNorm 4-D"));
        GradientCheck.check(bn, Tensor.uniform(rng, -1, 2, 3, 4), () -> Pass.eval(be), rng, tag("BatchNorm eval"));
    }

    @Test
    void batchNormNormalisesInTraining() {
        BatchNorm bn = new BatchNorm("bn", 3);
        Tensor y = bn.forward(Tensor.uniform(rng, 5, 9, 50, 3), new Pass(be, true, rng));
        for (int c = 0; c < 3; c++) {
            double s = 0, sq = 0;
            for (int i = 0; i < 50; i++) {
                s += y.get(i, c);
                sq += y.get(i, c) * y.get(i, c);
            }
            assertEquals(0, s / 50, 1e-4);
            assertEquals(1, sq / 50, 1e-2);
        }
    }

    @Test
    void dropoutScalesKeptUnitsAndIsIdentityInEvaluation() {
        Dropout d = new Dropout(0.4);
        Tensor x = Tensor.filled(1f, 200, 50);
        float[] y = d.forward(x, new Pass(be, true, rng)).data();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.6, v, 1e-6);
            }
        }
        assertEquals(0.4, zeros / 10000.0, 0.03, tag("drop fraction"));
        assertTrue(d.forward(x, Pass.eval(be)) == x);
        GradientCheck.check(d, awayFromZero(4, 9), GradientCheck.training(be, 7), rng, tag("Dropout"));
    }

    @Test
    void softmaxCrossEntropyGradient() {
        Tensor z = Tensor.uniform(rng, -3, 3, 5, 7);
        int[] y = {0, 6, 3, 3, 1};
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.of(z, y);
        GradientCheck.compare(z.data(), r.grad().data(), () -> SoftmaxCrossEntropy.of(z, y).loss(), rng, tag("softmax CE"));
        // hand-worked: two equal logits, label 0 -> loss ln 2, gradient (-1/2, 1/2)
        SoftmaxCrossEntropy.Result h = SoftmaxCrossEntropy.of(Tensor.wrap(new float[] {1, 1}, 1, 2), new int[] {0});
        assertEquals(Math.log(2), h.loss(), 1e-7);
        assertEquals(-0.5, h.grad().data()[0], 1e-7);
        assertEquals(0.5, h.grad().data()[1], 1e-7);
    }

    private void directionalDerivative(Model m, Tensor x, float[] r, String name) {
        GradientCheck.alongTheGradient(m.parameters().stream().filter(Parameter::trainable).toList(),
                () -> GradientCheck.loss(m.forward(x, new Pass(be, true, new Rng(1))), r), 1e-4, tag(name));
    }

    /** LeNet-300-100's gradients of sum(y * r), recomputed in double from its parameters. */
    private void assertMatchesDoubleBackprop(Model m, Tensor input, float[] r) {
        float[][] w = {m.parameter("fc1.weight").value().data(), m.parameter("fc2.weight").value().data(),
            m.parameter("fc3.weight").value().data()};
        float[][] b = {m.parameter("fc1.bias").value().data(), m.parameter("fc2.bias").value().data(),
            m.parameter("fc3.bias").value().data()};
        int batch = input.dim(0), in = input.size() / batch;
        int[] width = {in, m.parameter("fc1.bias").size(), m.parameter("fc2.bias").size(), m.parameter("fc3.bias").size()};
        double[][] gw = new double[3][], gb = new double[3][];
        for (int l = 0; l < 3; l++) {
            gw[l] = new double[w[l].length];
            gb[l] = new double[b[l].length];
        }
        for (int e = 0; e < batch; e++) {
            double[][] act = new double[4][];
            double[][] pre = new double[3][];
            act[0] = new double[in];
            for (int k = 0; k < in; k++) {
                act[0][k] = input.data()[e * in + k];
            }
            for (int l = 0; l < 3; l++) {
                pre[l] = new double[width[l + 1]];
                act[l + 1] = new double[width[l + 1]];
                for (int o = 0; o < width[l + 1]; o++) {
                    double s = b[l][o];
                    for (int k = 0; k < width[l]; k++) {
                        s += w[l][o * width[l] + k] * act[l][k];
                    }
                    pre[l][o] = s;
                    act[l + 1][o] = l == 2 ? s : Math.max(0, s);
                }
            }
            double[] delta = new double[width[3]];
            for (int c = 0; c < width[3]; c++) {
                delta[c] = r[e * width[3] + c];
            }
            for (int l = 2; l >= 0; l--) {
                double[] below = new double[width[l]];
                for (int o = 0; o < width[l + 1]; o++) {
                    gb[l][o] += delta[o];
                    for (int k = 0; k < width[l]; k++) {
                        gw[l][o * width[l] + k] += delta[o] * act[l][k];
                        below[k] += delta[o] * w[l][o * width[l] + k];
                    }
                }
                if (l > 0) {
                    for (int k = 0; k < width[l]; k++) {
                        below[k] = pre[l - 1][k] > 0 ? below[k] : 0;
                    }
                }
                delta = below;
            }
        }
        String[] names = {"fc1", "fc2", "fc3"};
        for (int l = 0; l < 3; l++) {
            float[] g = m.parameter(names[l] + ".weight").grad().data(), gbias = m.parameter(names[l] + ".bias").grad().data();
            for (int i = 0; i < g.length; i++) {
                assertEquals(gw[l][i], g[i], 1e-4 + 1e-3 * Math.abs(gw[l][i]), tag(names[l] + ".weight[" + i + "]"));
            }
            for (int i = 0; i < gbias.length; i++) {
                assertEquals(gb[l][i], gbias[i], 1e-4 + 1e-3 * Math.abs(gb[l][i]), tag(names[l] + ".bias[" + i + "]"));
            }
        }
    }

    @Test
    void wholeModelsBackpropagate() {
        for (String name : new String[] {"lenet300", "lenet5", "mlp-bn"}) {
            Model m = Models.create(name, 1, 12, 12, 4, rng);
            Tensor x = Tensor.uniform(rng, -1, 1, 8, 1, 12, 12);
            Tensor y = m.forward(x, new Pass(be, true, rng));
            float[] r = Tensor.uniform(rng, -1, 1, y.shape()).data();
            m.backward(Tensor.wrap(r.clone(), y.shape()));
            if (name.equals("lenet300")) {
                // Single-coordinate finite differences are unreliable on whole ReLU networks (a
                // hidden input within 1e-4 of a kink spoils them even in double precision), so
                // every gradient is compared with an independent double-precision backprop.
                assertMatchesDoubleBackprop(m, x, r);
            }
            directionalDerivative(m, x, r, name);
        }
    }
}
