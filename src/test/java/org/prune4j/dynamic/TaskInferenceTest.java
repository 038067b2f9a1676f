package org.prune4j.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** SupSup's one-shot task inference and its permuted task sequence. */
class TaskInferenceTest {
    private final long seed = System.nanoTime();
    private final Backend cpu = Backends.host();

    private static boolean[] bits(int n, int... on) {
        boolean[] b = new boolean[n];
        for (int i : on) {
            b[i] = true;
        }
        return b;
    }

    @Test
    void picksTheTaskWhoseMaskMakesTheOutputConfident() {
        // one 2x4 layer, every fixed weight 1. Task 0 connects input 0 to output 0; task 1 input 1 to
        // output 1; task 2 inputs 2 and 3 to both outputs (so it never makes them differ).
        Model m = new Model("toy", new int[] {1, 1, 4}, List.of(new Flatten(), new Linear("fc", 4, 2)),
                Initialiser.KAIMING_NORMAL);
        float[] ones = new float[8];
        Arrays.fill(ones, 1f);
        List<List<Mask>> masks = List.of(List.of(Mask.of(2, 4, bits(8, 0))), List.of(Mask.of(2, 4, bits(8, 5))),
                List.of(Mask.of(2, 4, bits(8, 2, 3, 6, 7))));
        TaskInference inf = new TaskInference(m, List.of(ones), masks, cpu);
        // an input that lights up input 0: only task 0's coefficient sharpens the output
        Tensor x0 = Tensor.wrap(new float[] {4, 0, 0.3f, 0.3f, 5, 0, 0.2f, 0.1f}, 2, 1, 1, 4);
        assertEquals(0, inf.infer(x0));
        double[] g = inf.entropyGradient(x0);
        assertTrue(g[0] < 0, "raising task 0's coefficient lowers the entropy: " + Arrays.toString(g));
        assertEquals(0, g[1], 1e-6, "task 1's inputs are silent");
        Tensor x1 = Tensor.wrap(new float[] {0, 4, 0.3f, 0.3f, 0, 6, 0.1f, 0.2f}, 2, 1, 1, 4);
        assertEquals(1, inf.infer(x1));
    }

    @Test
    void entropyGradientMatchesFiniteDifferencesInTheCoefficients() {
        Rng rng = new Rng(seed);
        Model m = MaskLearnersTest.mlpFor(seed);
        List<float[]> fixed = new ArrayList<>();
        for (Parameter w : m.prunable()) {
            fixed.add(w.value().data().clone());
        }
        int tasks = 3;
        List<List<Mask>> masks = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            List<Mask> ms = new ArrayList<>();
            for (Parameter w : m.prunable()) {
                int[] s = w.shape();
                ms.add(Mask.random(s[0], s[1], 0.5, rng.split(t * 10 + ms.size())));
            }
            masks.add(ms);
        }
        ImageData d = MaskLearnersTest.data(seed);
        int[] idx = new int[10];
        Arrays.setAll(idx, i -> i);
        Tensor x = d.test().images(idx, 0, 10);
        double[] got = new TaskInference(m, fixed, masks, cpu).entropyGradient(x);
        double h = 1e-3;
        for (int t = 0; t < tasks; t++) {
            double[] a = new double[tasks];
            Arrays.fill(a, 1.0 / tasks);
            a[t] += h;
            double up = entropy(m, fixed, masks, a, x);
            a[t] -= 2 * h;
            double down = entropy(m, fixed, masks, a, x);
            double want = (up - down) / (2 * h);
            assertEquals(want, got[t], 1e-3 + 0.02 * Math.abs(want), "task " + t + ", seed " + seed);
        }
    }

    private double entropy(Model m, List<float[]> fixed, List<List<Mask>> masks, double[] alpha, Tensor x) {
        List<Parameter> ws = m.prunable();
        for (int l = 0; l < ws.size(); l++) {
            Parameter w = ws.get(l);
            w.setMask(null);
            float[] v = w.value().data(), w0 = fixed.get(l);
            for (int i = 0; i < v.length; i++) {
                double s = 0;
                for (int t = 0; t < masks.size(); t++) {
                    s += masks.get(t).get(l).toArray()[i] ? alpha[t] : 0;
                }
                v[i] = (float) (w0[i] * s);
            }
        }
        Tensor logits = m.forward(x, Pass.eval(cpu));
        return TaskInference.meanEntropy(logits.data(), logits.rows(), logits.cols());
    }

    @Test
    void entropyLogitGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(seed);
        float[] z = new float[3 * 5];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.uniform(-3, 3);
        }
        float[] g = TaskInference.entropyGrad(z, 3, 5);
        for (int i = 0; i < z.length; i++) {
            float keep = z[i];
            z[i] = keep + 1e-3f;
            double up = TaskInference.meanEntropy(z, 3, 5);
            z[i] = keep - 1e-3f;
            double down = TaskInference.meanEntropy(z, 3, 5);
            z[i] = keep;
            assertEquals((up - down) / 2e-3, g[i], 1e-3, "logit " + i);
        }
    }

    @Test
    void oneTaskIsNotSuperposition() {
        Model m = MaskLearnersTest.mlpFor(seed);
        List<float[]> fixed = m.prunable().stream().map(p -> p.value().data().clone()).toList();
        List<Mask> one = m.prunable().stream().map(p -> Mask.all(p.shape()[0], p.shape()[1])).toList();
        var e = assertThrows(IllegalArgumentException.class, () -> new TaskInference(m, fixed, List.of(one), cpu));
        assertTrue(e.getMessage().contains("at least 2 tasks"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> new SparseTrainingSettings("supsup", 0.5, "", 0,
                false, 0, 0, "signed-kaiming", "", 1, 128));
        assertTrue(s.getMessage().contains("edge-popup"), s.getMessage());
    }

    @Test
    void permutedTasksMovePixelsAndKeepLabels() {
        ImageData d = MaskLearnersTest.data(seed);
        PermutedTasks tasks = new PermutedTasks(d, 5);
        int[] p0 = tasks.permutation(0), p1 = tasks.permutation(1), p2 = tasks.permutation(2);
        int[] identity = new int[12];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, p0, "task 0 is the data as it is");
        assertArrayEquals(identity, Arrays.stream(p1).sorted().toArray(), "a permutation keeps every pixel");
        assertFalse(Arrays.equals(p1, p2), "tasks differ");
        assertArrayEquals(p1, new PermutedTasks(d, 5).permutation(1), "the same seed gives the same tasks");
        ImageData t1 = tasks.task(1);
        assertArrayEquals(d.train().labels(), t1.train().labels());
        float[] a = d.test().pixels(), b = tasks.test(1).pixels();
        for (int n = 0; n < d.test().size(); n++) {
            for (int j = 0; j < 12; j++) {
                assertEquals(a[n * 12 + p1[j]], b[n * 12 + j], 0f);
            }
        }
    }
}
