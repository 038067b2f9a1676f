package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Strided convolutions, global average pooling, residual blocks and the CIFAR networks built
 * from them, against finite differences, naive double-precision sums and the parameter counts
 * written out from the papers' definitions.
 */
class ResidualNetworkTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    private String tag(String s) {
        return s + " (seed " + seed + ")";
    }

    private void randomise(Layer l) {
        for (Parameter p : l.parameters()) {
            if (p.kind() != Parameter.Kind.BUFFER) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = p.kind() == Parameter.Kind.NORM_SCALE ? rng.uniform(0.5f, 1.5f) : rng.uniform(-0.5f, 0.5f);
                }
                p.applyMask(d);
            }
        }
    }

    @Test
    void stridedConvolutionMatchesFiniteDifferences() {
        for (int[] c : new int[][] {{3, 1, 2}, {1, 0, 2}, {3, 1, 3}, {5, 2, 2}}) {
            Conv2d conv = new Conv2d("conv", 3, 4, c[0], c[1], c[2], c[2] != 3);
            randomise(conv);
            Tensor x = Tensor.uniform(rng, -1, 1, 2, 3, 9, 8);
            int[] out = conv.outputShape(new int[] {3, 9, 8});
            // every window start in steps of the stride that fits the padded image
            assertEquals((9 + 2 * c[1] - c[0]) / c[2] + 1, out[1]);
            assertEquals((8 + 2 * c[1] - c[0]) / c[2] + 1, out[2]);
            GradientCheck.check(conv, x, GradientCheck.training(be, 1), rng, tag("Conv2d k" + c[0] + " stride " + c[2]));
        }
    }

    @Test
    void globalAveragePoolingIsThePlaneMean() {
        GlobalAvgPool g = new GlobalAvgPool();
        for (int[] s : new int[][] {{3, 5, 4, 7}, {1, 1, 1, 1}, {2, 3, 8, 8}}) {
            Tensor x = Tensor.uniform(rng, -1, 1, s);
            Tensor y = g.forward(x, Pass.eval(be));
            assertArrayEquals(new int[] {s[0], s[1]}, y.shape());
            for (int n = 0; n < s[0]; n++) {
                for (int c = 0; c < s[1]; c++) {
                    double sum = 0;
                    for (int i = 0; i < s[2] * s[3]; i++) {
                        sum += x.data()[(n * s[1] + c) * s[2] * s[3] + i];
                    }
                    assertEquals(sum / (s[2] * s[3]), y.get(n, c), 1e-5, "mean of plane " + n + "," + c);
                }
            }
            GradientCheck.check(g, x, GradientCheck.training(be, 1), rng, tag("GlobalAvgPool " + s[2] + "x" + s[3]));
        }
    }

    private static List<Layer> mainPath(String name, int in, int out, int stride) {
        return List.of(new Conv2d(name + ".conv1", in, out, 3, 1, stride, false), new BatchNorm(name + ".bn1", out),
                new ReLU(), new Conv2d(name + ".conv2", out, out, 3, 1, 1, false), new BatchNorm(name + ".bn2", out));
    }

    @Test
    void identityBlockIsReluOfPathPlusInputAndMatchesFiniteDifferences() {
        List<Layer> main = mainPath("b", 4, 4, 1);
        ResidualBlock block = new ResidualBlock("b", main, List.of());
        randomise(block);
        Tensor x = Tensor.uniform(rng, -1, 1, 3, 4, 6, 5);
        Tensor y = block.forward(x, Pass.eval(be)).toHost();
        // the same layers run one by one, then the sum and the ReLU written out
        Tensor h = x;
        for (Layer l : main) {
            h = l.forward(h, Pass.eval(be));
        }
        for (int i = 0; i < x.size(); i++) {
            double expect = Math.max(0, (double) h.data()[i] + x.data()[i]);
            assertEquals(expect, y.data()[i], 1e-5, "output " + i);
        }
        blockGradient(block, x, "identity residual block");
    }

    /**
     * Finite differences of a whole block along its gradient, for the parameters and for the
     * input: single coordinates move too many BatchNorm statistics and ReLU inputs at once for
     * a coordinate-wise check (a stack without the shortcut fails it the same way), while the
     * directional derivative averages the kinks out at a step small enough for BatchNorm.
     */
    private void blockGradient(ResidualBlock block, Tensor x, String what) {
        Tensor y = block.forward(x, GradientCheck.training(be, 1).get());
        float[] r = Tensor.uniform(rng, -1, 1, y.shape()).data();
        float[] dx = block.backward(Tensor.wrap(r.clone(), y.shape())).toHost().data().clone();
        List<Parameter> ps = block.parameters().stream().filter(p -> p.kind() != Parameter.Kind.BUFFER).toList();
        GradientCheck.alongTheGradient(ps, () -> GradientCheck.loss(block.forward(x,
                GradientCheck.training(be, 1).get()), r), 1e-3, tag(what + " parameters"));
        double norm2 = 0;
        for (float v : dx) {
            norm2 += (double) v * v;
        }
        double e = 1e-3 / Math.sqrt(norm2);
        float[] xs = x.data(), saved = xs.clone();
        double[] l = new double[2];
        for (int sgn = 0; sgn < 2; sgn++) {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) (saved[i] + (sgn == 0 ? e : -e) * dx[i]);
            }
            l[sgn] = GradientCheck.loss(block.forward(x, GradientCheck.training(be, 1).get()), r);
        }
        System.arraycopy(saved, 0, xs, 0, xs.length);
        assertEquals(norm2, (l[0] - l[1]) / (2 * e), 0.02 * norm2, tag(what + ": dL/dx along itself"));
    }

    @Test
    void projectionBlockMatchesFiniteDifferences() {
        List<Layer> shortcut = List.of(new Conv2d("b.shortcut.conv", 3, 6, 1, 0, 2, false),
                new BatchNorm("b.shortcut.bn", 6));
        ResidualBlock block = new ResidualBlock("b", mainPath("b", 3, 6, 2), shortcut);
        randomise(block);
        assertArrayEquals(new int[] {6, 4, 3}, block.outputShape(new int[] {3, 7, 6}));
        blockGradient(block, Tensor.uniform(rng, -1, 1, 4, 3, 7, 6), "projection residual block");
    }

    @Test
    void aBlockWhoseShortcutDoesNotFitSaysSo() {
        ResidualBlock block = new ResidualBlock("b", mainPath("b", 3, 6, 2), List.of());
        String m = assertThrows(IllegalArgumentException.class, () -> block.outputShape(new int[] {3, 8, 8}))
                .getMessage();
        assertTrue(m.contains("needs a projection"), m);
    }

    @Test
    void resnetAndVggHaveTheirPublishedSizes() {
        Model r20 = Models.create("resnet20", 3, 32, 32, 10, rng);
        // conv1, then per stage: first block (3x3 in->w, 3x3 w->w, 1x1 projection when the width changes),
        // (n - 1) blocks of two 3x3 w->w; then fc 64 -> 10
        long weights = 9 * 3 * 16 + 10 * 64;
        int in = 16;
        for (int w : new int[] {16, 32, 64}) {
            weights += 9L * in * w + 9L * w * w + (in == w ? 0 : (long) in * w) + 2 * 2 * 9L * w * w;
            in = w;
        }
        assertEquals(weights, r20.weightCount());
        assertEquals(270_896, weights);
        // BatchNorm scale and shift for 16 + 6*16 + (6*32 + 32) + (6*64 + 64) channels and the fc bias: OpenLTH's
        // cifar_resnet_20 has 272,474 parameters (Frankle et al. 2020 list ResNet-20 at 272K)
        long trainable = r20.parameters().stream().filter(p -> p.kind() != Parameter.Kind.BUFFER)
                .mapToLong(Parameter::size).sum();
        assertEquals(272_474, trainable);
        assertEquals(22, r20.weightedLayers().size(), "19 3x3 convolutions, 2 projections, fc");
        assertEquals(Initialiser.KAIMING_NORMAL, r20.initialiser());
        // ResNet-56: conv1, 3 stages of 9 blocks of two convolutions, 2 projections, fc
        assertEquals(1 + 3 * 9 * 2 + 2 + 1, Models.create("resnet56", 3, 32, 32, 10, rng).weightedLayers().size());

        Model vgg = Models.create("vgg16", 3, 32, 32, 10, rng);
        int[] plan = {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512};
        long vw = 10 * 512;
        int c = 3;
        for (int f : plan) {
            vw += 9L * c * f;
            c = f;
        }
        assertEquals(vw, vgg.weightCount());
        assertTrue(vw > 14_700_000 && vw < 14_750_000, "VGG-16 for CIFAR has about 14.7M weights: " + vw);
        String m = assertThrows(IllegalArgumentException.class, () -> Models.create("vgg16", 3, 8, 8, 10, rng))
                .getMessage();
        assertTrue(m.contains("too small"), m);
    }

    @Test
    void theModelSeesEveryWeightProductInsideTheBlocks() {
        Model r20 = Models.create("resnet20", 3, 32, 32, 10, rng);
        Map<WeightedLayer, LayerShape> shapes = r20.layerShapes(2);
        assertEquals(22, shapes.size());
        for (Map.Entry<WeightedLayer, LayerShape> e : shapes.entrySet()) {
            String name = e.getKey().weight().name();
            LayerShape s = e.getValue();
            // output pixels per image: 32x32 in stage 1, 16x16 in stage 2 (its first convolution strides), 8x8 in 3
            int side = name.startsWith("stage2") ? 16 : name.startsWith("stage3") ? 8 : 32;
            int expect = name.equals("fc.weight") ? 2 : 2 * side * side;
            assertEquals(expect, s.rows(), name);
            assertEquals(!name.equals("conv1.weight"), s.inputGradient(), name);
        }
        NetworkCost cost = NetworkCost.of(r20);
        // ResNet-20 is about 41 million multiply-adds per 32x32 image (He et al. 2016 count 41M FLOPs)
        assertTrue(cost.denseMacs() > 40_000_000L && cost.denseMacs() < 41_500_000L, "" + cost.denseMacs());
    }

    /**
     * Along the gradient at a step small enough for twenty layers of BatchNorm on small batches
     * (1e-2 is not, with or without shortcuts); the last stages see at least 16 values per channel.
     */
    private void wholeNetworkGradient(Model m, int[] input, String what) {
        Tensor x = Tensor.uniform(rng, -1, 1, input);
        Pass pass = new Pass(be, true, new Rng(3));
        Tensor y = m.forward(x, pass);
        float[] r = Tensor.uniform(rng, -1, 1, y.shape()).data();
        m.backward(Tensor.wrap(r.clone(), y.shape()));
        List<Parameter> ps = m.parameters().stream().filter(p -> p.kind() != Parameter.Kind.BUFFER).toList();
        GradientCheck.alongTheGradient(ps, () -> {
            ps.forEach(Parameter::value);
            return GradientCheck.loss(m.forward(x, new Pass(be, true, new Rng(3))), r);
        }, 1e-4, tag(what));
    }

    @Test
    void wholeResnetAndVggBackpropagateTheirLoss() {
        wholeNetworkGradient(Models.create("resnet20", 3, 8, 8, 10, rng), new int[] {4, 3, 8, 8}, "ResNet-20");
        wholeNetworkGradient(Models.create("vgg16", 3, 32, 32, 10, rng), new int[] {4, 3, 32, 32}, "VGG-16");
    }

    @Test
    void aPrunedResnetTrainsOnSparseKernelsWithZeroGradientsWherePruned() {
        Model m = Models.create("resnet20", 3, 8, 8, 10, rng);
        for (Parameter p : m.prunable()) {
            int[] s = p.shape();
            p.setMask(Mask.random(s[0], s[1], 0.2, rng));
        }
        m.initialise(rng);
        List<String> lines = m.chooseKernels(new KernelPolicy(1.0, "test"), 4);
        assertEquals(22, lines.size());
        m.weightedLayers().forEach(w -> assertTrue(w.sparseKernel(), w.weight().name()));
        wholeNetworkGradient(m, new int[] {4, 3, 8, 8}, "sparse ResNet-20");
        for (Parameter p : m.prunable()) {
            boolean[] keep = p.mask().toArray();
            float[] g = p.grad().data();
            for (int i = 0; i < g.length; i++) {
                assertFalse(!keep[i] && g[i] != 0f, p.name() + ": pruned weight " + i + " has gradient " + g[i]);
            }
        }
    }
}
