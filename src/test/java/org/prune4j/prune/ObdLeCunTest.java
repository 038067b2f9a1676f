package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Conv2d;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * OBD's backward pass of diagonal second derivatives against references written out here in
 * double: the exact Hessian diagonal where the approximation is exact (the output layer), and
 * LeCun et al.'s recursion by explicit loops elsewhere (through ReLU and a convolution).
 */
class ObdLeCunTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    private ImageData data(int n, int c, int h, int w, int classes) {
        float[] px = Tensor.uniform(rng, -1, 1, n, c * h * w).data();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        Dataset d = new Dataset("synthetic", px, y, c, h, w, classes);
        return new ImageData(d, d.head(1), d.head(1));
    }

    private Map<Parameter, float[]> diagonal(Model m, ImageData d) {
        return new ObdLeCunScore().hessianDiagonal(new ScoringContext(m, be, d, 1, d.train().size(), rng.split(3)));
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** fc2(act(fc1 x)) in double: hidden pre-activations [n][5] and logits [n][3]. */
    private static double[][][] forward(Model m, Dataset d, boolean relu) {
        float[] w1 = m.parameter("fc1.weight").value().data(), b1 = m.parameter("fc1.bias").value().data();
        float[] w2 = m.parameter("fc2.weight").value().data(), b2 = m.parameter("fc2.bias").value().data();
        int n = d.size();
        double[][] a = new double[n][5], z = new double[n][3];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < 5; i++) {
                a[e][i] = b1[i];
                for (int j = 0; j < 6; j++) {
                    a[e][i] += (double) w1[i * 6 + j] * d.pixels()[e * 6 + j];
                }
            }
            for (int k = 0; k < 3; k++) {
                z[e][k] = b2[k];
                for (int i = 0; i < 5; i++) {
                    z[e][k] += w2[k * 5 + i] * (relu ? Math.max(0, a[e][i]) : a[e][i]);
                }
            }
        }
        return new double[][][] {a, z};
    }

    private static double loss(Model m, Dataset d) {
        double[][] z = forward(m, d, false)[1];
        double total = 0;
        for (int e = 0; e < d.size(); e++) {
            total -= Math.log(softmax(z[e])[d.labels()[e]]);
        }
        return total / d.size();
    }

    @Test
    void theOutputLayerGetsTheExactHessianDiagonal() {
        Model m = new Model("tiny", new int[] {1, 2, 3}, List.of(new Flatten(), new Linear("fc1", 6, 5),
                new Linear("fc2", 5, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(rng);
        ImageData d = data(50, 1, 2, 3, 3);
        float[] got = diagonal(m, d).get(m.parameter("fc2.weight"));
        float[] w = m.parameter("fc2.weight").value().data();
        for (int i = 0; i < w.length; i++) {
            float v = w[i];
            double h = 1e-2;
            w[i] = (float) (v + h);
            double up = loss(m, d.train());
            w[i] = (float) (v - h);
            double down = loss(m, d.train());
            w[i] = v;
            double exact = (up - 2 * loss(m, d.train()) + down) / (h * h);
            assertEquals(exact, got[i], 1e-4 + 1e-3 * Math.abs(exact), "fc2[" + i + "] seed " + seed);
        }
    }

    @Test
    void theFirstLayerFollowsLeCunsRecursionThroughReLU() {
        Model m = new Model("tiny", new int[] {1, 2, 3}, List.of(new Flatten(), new Linear("fc1", 6, 5), new ReLU(),
                new Linear("fc2", 5, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(rng);
        ImageData d = data(40, 1, 2, 3, 3);
        Dataset t = d.train();
        double[][][] f = forward(m, t, true);
        float[] w2 = m.parameter("fc2.weight").value().data();
        int n = t.size();
        double[] want = new double[5 * 6];
        for (int e = 0; e < n; e++) {
            double[] p = softmax(f[1][e]);
            for (int i = 0; i < 5; i++) {
                if (f[0][e][i] <= 0) {
                    continue;
                }
                double hi = 0;
                for (int k = 0; k < 3; k++) {
                    hi += (double) w2[k * 5 + i] * w2[k * 5 + i] * p[k] * (1 - p[k]) / n;
                }
                for (int j = 0; j < 6; j++) {
                    double x = t.pixels()[e * 6 + j];
                    want[i * 6 + j] += hi * x * x;
                }
            }
        }
        float[] got = diagonal(m, d).get(m.parameter("fc1.weight"));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6 + 1e-4 * Math.abs(want[i]), "fc1[" + i + "] seed " + seed);
        }
    }

    @Test
    void aConvolutionSumsItsPositions() {
        Conv2d conv = new Conv2d("conv", 1, 2, 3, 1);
        Model m = new Model("tinyconv", new int[] {1, 4, 4}, List.of(conv, new ReLU(), new Flatten(),
                new Linear("fc", 32, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(rng);
        ImageData d = data(12, 1, 4, 4, 3);
        Dataset t = d.train();
        float[] wc = m.parameter("conv.weight").value().data(), bc = m.parameter("conv.bias").value().data();
        float[] wf = m.parameter("fc.weight").value().data(), bf = m.parameter("fc.bias").value().data();
        int n = t.size();
        double[] want = new double[2 * 9];
        for (int e = 0; e < n; e++) {
            double[] a = new double[32];
            for (int o = 0; o < 2; o++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        double s = bc[o];
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = y + ky - 1, ix = x + kx - 1;
                                if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                    s += (double) wc[o * 9 + ky * 3 + kx] * t.pixels()[e * 16 + iy * 4 + ix];
                                }
                            }
                        }
                        a[o * 16 + y * 4 + x] = s;
                    }
                }
            }
            double[] z = new double[3];
            for (int k = 0; k < 3; k++) {
                z[k] = bf[k];
                for (int q = 0; q < 32; q++) {
                    z[k] += wf[k * 32 + q] * Math.max(0, a[q]);
                }
            }
            double[] p = softmax(z);
            for (int o = 0; o < 2; o++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int q = o * 16 + y * 4 + x;
                        if (a[q] <= 0) {
                            continue;
                        }
                        double hq = 0;
                        for (int k = 0; k < 3; k++) {
                            hq += (double) wf[k * 32 + q] * wf[k * 32 + q] * p[k] * (1 - p[k]) / n;
                        }
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = y + ky - 1, ix = x + kx - 1;
                                if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                    double v = t.pixels()[e * 16 + iy * 4 + ix];
                                    want[o * 9 + ky * 3 + kx] += hq * v * v;
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] got = diagonal(m, d).get(m.parameter("conv.weight"));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6 + 1e-4 * Math.abs(want[i]), "conv[" + i + "] seed " + seed);
        }
    }

    @Test
    void batchNormalisationIsRefusedWithTheWayOut() {
        Model m = new Model("bn", new int[] {1, 2, 3}, List.of(new Flatten(), new Linear("fc1", 6, 5),
                new BatchNorm("bn", 5), new Linear("fc2", 5, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(rng);
        var e = assertThrows(IllegalArgumentException.class, () -> diagonal(m, data(10, 1, 2, 3, 3)));
        assertTrue(e.getMessage().contains("use --score obd"), e.getMessage());
    }
}
