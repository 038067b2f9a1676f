package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Each data-driven score against an independent reference: the loss itself, differentiated by
 * finite differences in double, on a model small enough to do it for every weight.
 */
class ScoresTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    /** 6 inputs -> 5 -> 3, linear (smooth, so second differences are exact up to rounding). */
    private Model tinyLinear() {
        Model m = new Model("tiny", new int[] {1, 2, 3},
                List.of(new Flatten(), new Linear("fc1", 6, 5), new Linear("fc2", 5, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(rng);
        return m;
    }

    private ImageData data(int n) {
        float[] px = Tensor.uniform(rng, -1, 1, n, 6).data();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        Dataset d = new Dataset("synthetic", px, y, 1, 2, 3, 3);
        return new ImageData(d, d.head(1), d.head(1));
    }

    /** Mean loss over the whole data set, in double on top of float forward passes. */
    private double loss(Model m, Dataset d) {
        return loss(m, d, 1);
    }

    /** The same loss of the logits divided by {@code temperature}. */
    private double loss(Model m, Dataset d, double temperature) {
        int[] idx = new int[d.size()];
        java.util.Arrays.setAll(idx, i -> i);
        Tensor logits = m.forward(d.images(idx, 0, idx.length), Pass.eval(be));
        double[] z = new double[logits.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = logits.data()[i] / temperature;
        }
        double total = 0;
        for (int i = 0; i < d.size(); i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < 3; j++) {
                max = Math.max(max, z[i * 3 + j]);
            }
            for (int j = 0; j < 3; j++) {
                sum += Math.exp(z[i * 3 + j] - max);
            }
            total += Math.log(sum) + max - z[i * 3 + d.labels()[i]];
        }
        return total / d.size();
    }

    /** One batch holding the whole data set, so the scores and the references see the same loss. */
    private ScoringContext wholeBatch(Model m, ImageData d) {
        return new ScoringContext(m, be, d, 1, d.train().size(), rng.split(9));
    }

    @Test
    void snipIsGradientTimesWeight() {
        Model m = tinyLinear();
        ImageData d = data(40);
        Map<Parameter, float[]> s = new SnipScore().scores(wholeBatch(m, d));
        for (Parameter p : m.prunable()) {
            float[] w = p.value().data();
            for (int i = 0; i < w.length; i++) {
                float v = w[i];
                w[i] = v + 1e-2f;
                double up = loss(m, d.train());
                w[i] = v - 1e-2f;
                double down = loss(m, d.train());
                w[i] = v;
                double want = Math.abs((up - down) / 2e-2 * v);
                assertEquals(want, s.get(p)[i], 2e-4 + 1e-2 * want, p.name() + "[" + i + "] seed " + seed);
            }
        }
    }

    /** Exact Hessian of the tiny model's loss by second differences, all weights in one vector. */
    private double[][] hessian(Model m, Dataset d, List<float[]> ws, int n) {
        return hessian(m, d, ws, n, 1);
    }

    private double[][] hessian(Model m, Dataset d, List<float[]> ws, int n, double temperature) {
        double h = 1e-2;
        double[][] hm = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b <= a; b++) {
                double f = 0;
                for (int sa = -1; sa <= 1; sa += 2) {
                    for (int sb = -1; sb <= 1; sb += 2) {
                        bump(ws, a, sa * h);
                        bump(ws, b, sb * h);
                        f += sa * sb * loss(m, d, temperature);
                        bump(ws, b, -sb * h);
                        bump(ws, a, -sa * h);
                    }
                }
                hm[a][b] = hm[b][a] = f / (4 * h * h);
            }
        }
        return hm;
    }

    private static void bump(List<float[]> ws, int flat, double h) {
        for (float[] w : ws) {
            if (flat < w.length) {
                w[flat] += (float) h;
                return;
            }
            flat -= w.length;
        }
    }

    @Test
    void obdHessianDiagonalAndGraspHessianGradientMatchTheExactHessian() {
        Model m = tinyLinear();
        ImageData d = data(60);
        List<Parameter> ps = m.prunable();
        List<float[]> ws = ps.stream().map(p -> p.value().data()).toList();
        int n = ws.stream().mapToInt(w -> w.length).sum();
        double[][] hm = hessian(m, d.train(), ws, n);

        // Hutchinson with many probes on one batch: the estimate's error shrinks as 1/sqrt(probes)
        Map<Parameter, float[]> diag = new ObdScore(3000, 1e-2).hessianDiagonal(wholeBatch(m, d));
        double err = 0, norm = 0;
        int k = 0;
        for (Parameter p : ps) {
            for (float v : diag.get(p)) {
                err += (v - hm[k][k]) * (v - hm[k][k]);
                norm += hm[k][k] * hm[k][k];
                k++;
            }
        }
        assertTrue(Math.sqrt(err / norm) < 0.15, "OBD diagonal relative error " + Math.sqrt(err / norm) + " seed " + seed);

        // GraSP: H g with g the mean gradient, against the exact Hessian times the same g
        m.forward(d.train().images(idx(d), 0, 60), new Pass(be, true, rng));
        int[] all = idx(d);
        m.backward(SoftmaxCrossEntropy.of(m.forward(d.train().images(all, 0, 60), new Pass(be, true, rng)),
                d.train().labels(all, 0, 60)).grad());
        double[] g = new double[n];
        k = 0;
        for (Parameter p : ps) {
            for (float v : p.grad().data()) {
                g[k++] = v;
            }
        }
        Map<Parameter, float[]> hg = new GraspScore(1e-2, 1).hessianGradient(wholeBatch(m, d));
        double rel = relativeError(hg, ps, hm, g);
        assertTrue(rel < 0.02, "GraSP Hg relative error " + rel + " seed " + seed);
    }

    @Test
    void graspScoresTheTemperedLoss() {
        // GraSP's default temperature is 200; at 3 the tempered Hessian is still large enough
        // for second differences of a float forward pass to resolve.
        double t = 3;
        Model m = tinyLinear();
        ImageData d = data(60);
        List<Parameter> ps = m.prunable();
        List<float[]> ws = ps.stream().map(p -> p.value().data()).toList();
        int n = ws.stream().mapToInt(w -> w.length).sum();
        double[][] hm = hessian(m, d.train(), ws, n, t);
        double[] g = new double[n];
        double h = 1e-2;
        for (int k = 0; k < n; k++) {
            bump(ws, k, h);
            double up = loss(m, d.train(), t);
            bump(ws, k, -2 * h);
            double down = loss(m, d.train(), t);
            bump(ws, k, h);
            g[k] = (up - down) / (2 * h);
        }
        Map<Parameter, float[]> hg = new GraspScore(1e-2, t).hessianGradient(wholeBatch(m, d));
        double rel = relativeError(hg, ps, hm, g);
        assertTrue(rel < 0.05, "tempered GraSP Hg relative error " + rel + " seed " + seed);
        assertEquals(GraspScore.DEFAULT_TEMPERATURE, new GraspScore().temperature());
    }

    /** ||hg - H g|| / ||H g|| over all weights in one vector. */
    private static double relativeError(Map<Parameter, float[]> hg, List<Parameter> ps, double[][] hm, double[] g) {
        double err = 0, norm = 0;
        int k = 0;
        for (Parameter p : ps) {
            for (float v : hg.get(p)) {
                double want = 0;
                for (int j = 0; j < g.length; j++) {
                    want += hm[k][j] * g[j];
                }
                err += (v - want) * (v - want);
                norm += want * want;
                k++;
            }
        }
        return Math.sqrt(err / norm);
    }

    private static int[] idx(ImageData d) {
        int[] all = new int[d.train().size()];
        java.util.Arrays.setAll(all, i -> i);
        return all;
    }

    @Test
    void synflowOnALinearNetworkByHand() {
        // R = 1^T |W2| |W1| 1 (+ bias paths, zero here): dR/dW1[i][j] = sum_k |W2[k][i]|,
        // so the score of W1[i][j] is |W1[i][j]| * (column sum i of |W2|), and of W2[k][i] it is
        // |W2[k][i]| * (row sum i of |W1|).
        Model m = tinyLinear();
        float[] before = m.parameter("fc1.weight").value().data().clone();
        Map<Parameter, float[]> s = new SynFlowScore().scores(new ScoringContext(m, be, null, 1, 1, rng));
        float[] w1 = m.parameter("fc1.weight").value().data(), w2 = m.parameter("fc2.weight").value().data();
        for (int i = 0; i < 5; i++) {
            double col = 0, row = 0;
            for (int k = 0; k < 3; k++) {
                col += Math.abs(w2[k * 5 + i]);
            }
            for (int j = 0; j < 6; j++) {
                row += Math.abs(w1[i * 6 + j]);
            }
            for (int j = 0; j < 6; j++) {
                assertEquals(Math.abs(w1[i * 6 + j]) * col, s.get(m.parameter("fc1.weight"))[i * 6 + j], 1e-5);
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(Math.abs(w2[k * 5 + i]) * row, s.get(m.parameter("fc2.weight"))[k * 5 + i], 1e-5);
            }
        }
        // SynFlow scores |W|; the weights themselves, signs included, come back as they were
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, w1, "weights restored after scoring");
    }

    @Test
    void magnitudeAndRandom() {
        Model m = tinyLinear();
        Map<Parameter, float[]> s = new MagnitudeScore().scores(new ScoringContext(m, be, null, 1, 1, rng));
        float[] w = m.parameter("fc2.weight").value().data();
        for (int i = 0; i < w.length; i++) {
            assertEquals(Math.abs(w[i]), s.get(m.parameter("fc2.weight"))[i]);
        }
        Map<Parameter, float[]> r = new RandomScore().scores(new ScoringContext(m, be, null, 1, 1, new Rng(4)));
        Map<Parameter, float[]> r2 = new RandomScore().scores(new ScoringContext(m, be, null, 1, 1, new Rng(4)));
        assertTrue(java.util.Arrays.equals(r.get(m.parameter("fc1.weight")), r2.get(m.parameter("fc1.weight"))));
    }
}
