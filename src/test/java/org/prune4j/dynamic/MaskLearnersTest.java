package org.prune4j.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.ReLU;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.Progress;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.Trainer;

/**
 * The mask learners' straight-through gradients against finite differences of the loss in the
 * (continuous) mask, their masks' invariants, and frozen parameters left bit for bit as they
 * were after training.
 */
class MaskLearnersTest {
    private final long seed = System.nanoTime();
    private final Backend cpu = Backends.host();

    private static Model mlp(long seed, boolean batchNorm) {
        List<org.prune4j.nn.Layer> l = new ArrayList<>(List.of(new Flatten(), new Linear("fc1", 12, 9)));
        if (batchNorm) {
            l.add(new BatchNorm("bn1", 9));
        }
        l.addAll(List.of(new ReLU(), new Linear("fc2", 9, 4)));
        Model m = new Model("mlp", new int[] {1, 3, 4}, l, Initialiser.KAIMING_NORMAL);
        m.initialise(new Rng(seed));
        return m;
    }

    static Model mlpFor(long seed) {
        return mlp(seed, false);
    }

    static ImageData data(long seed) {
        Rng rng = new Rng(seed);
        int n = 120;
        float[] px = new float[n * 12];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(4);
            for (int j = 0; j < 12; j++) {
                px[i * 12 + j] = (float) (rng.nextGaussian() + (j % 4 == y[i] ? 2 : 0));
            }
        }
        Dataset d = new Dataset("synthetic", px, y, 1, 3, 4, 4);
        return new ImageData(d, d.head(30), d.head(40));
    }

    /** The loss of the model as it is now on a fixed batch (no dropout or batch norm here, so eval = train). */
    private double loss(Model m, Tensor x, int[] y) {
        return SoftmaxCrossEntropy.of(m.forward(x, Pass.eval(cpu)), y).loss();
    }

    /**
     * Sets every weight to {@code w0 * m} with the continuous masks {@code m}, unmasked, so the
     * loss is a function of m alone.
     */
    private static void setEffective(MaskLearner learner, Map<Parameter, double[]> m) {
        for (int l = 0; l < learner.weights.size(); l++) {
            Parameter w = learner.weights.get(l);
            w.setMask(null);
            float[] v = w.value().data(), w0 = learner.fixed.get(l);
            double[] ml = m.get(w);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (w0[i] * ml[i]);
            }
        }
    }

    /** Checks the learner's score gradient against {@code factor(i) * dL/dm_i} by central differences. */
    private void checkStraightThrough(MaskLearner learner, Model model, java.util.function.BiFunction<Integer, Integer,
            Double> factor) {
        ImageData d = data(seed);
        int[] idx = new int[16];
        java.util.Arrays.setAll(idx, i -> i);
        Tensor x = d.train().images(idx, 0, 16);
        int[] y = d.train().labels(idx, 0, 16);
        // the present binary masks, as numbers
        Map<Parameter, double[]> m = new IdentityHashMap<>();
        for (Parameter w : learner.weights) {
            boolean[] k = w.mask().toArray();
            double[] a = new double[k.length];
            for (int i = 0; i < k.length; i++) {
                a[i] = k[i] ? 1 : 0;
            }
            m.put(w, a);
        }
        setEffective(learner, m);
        Tensor logits = model.forward(x, new Pass(cpu, true, new Rng(1)));
        model.backward(SoftmaxCrossEntropy.of(logits, y).grad());
        Rng pick = new Rng(seed);
        double h = 1e-3;
        int checked = 0;
        for (int l = 0; l < learner.weights.size(); l++) {
            Parameter w = learner.weights.get(l);
            float[] g = w.fullGradient().data().clone();
            float[] got = new float[g.length];
            learner.scoreGradient(l, g, got);
            double[] ml = m.get(w);
            setEffective(learner, m);
            double mid = loss(model, x, y);
            for (int trial = 0; trial < 12; trial++) {
                int i = pick.nextInt(g.length);
                double keep = ml[i];
                ml[i] = keep + h;
                setEffective(learner, m);
                double up = loss(model, x, y);
                ml[i] = keep - h;
                setEffective(learner, m);
                double down = loss(model, x, y);
                ml[i] = keep;
                // a step across a ReLU kink has different slopes on its two sides; the gradient is
                // one of them, so such a point says nothing about the formula
                if (Math.abs((up - mid) - (mid - down)) > 1e-2 * Math.abs(up - down) + 1e-7) {
                    continue;
                }
                checked++;
                double want = factor.apply(l, i) * (up - down) / (2 * h);
                assertEquals(want, got[i], 2e-3 + 0.02 * Math.abs(want), w.name() + "[" + i + "] (mask " + keep
                        + "), seed " + seed);
            }
        }
        setEffective(learner, m);
        assertTrue(checked >= 12, "only " + checked + " points were away from kinks, seed " + seed);
    }

    @Test
    void edgePopupScoresGetTheMaskGradientSignedByTheScore() {
        Model model = mlp(seed, false);
        EdgePopup ep = new EdgePopup(model, 0.5, false, Optimizer.named("sgd", 0, 0), LearningRate.constant(0.1),
                new Rng(seed));
        checkStraightThrough(ep, model, (l, i) -> (double) Math.signum(ep.scores(l)[i]));
    }

    @Test
    void supermaskScoresGetTheMaskGradientTimesTheSigmoidSlope() {
        Model model = mlp(seed, false);
        LearnedSupermask sm = new LearnedSupermask(model, true, LearnedSupermask.Evaluation.SAMPLED, 10,
                Optimizer.named("sgd", 0, 0), LearningRate.constant(0.1), new Rng(seed));
        // give the scores some spread so the sigmoid slope differs between connections
        Rng r = new Rng(seed + 1);
        for (Parameter s : sm.scoreParameters()) {
            float[] v = s.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = r.uniform(-2, 2);
            }
        }
        checkStraightThrough(sm, model, (l, i) -> {
            double p = LearnedSupermask.sigmoid(sm.scores(l)[i]);
            return p * (1 - p);
        });
    }

    @Test
    void edgePopupRanksByMagnitudeSoALargeNegativeScoreIsKept() {
        Model model = mlp(seed, false);
        EdgePopup ep = new EdgePopup(model, 0.25, false, Optimizer.named("sgd", 0, 0), LearningRate.constant(0.1),
                new Rng(seed));
        // fc2 is 4x9 = 36 weights, 9 kept: give position 5 the most negative score, position 7 a tiny
        // positive one, and everything else a score of magnitude between
        float[] s = ep.scores.get(1).value().data();
        for (int i = 0; i < s.length; i++) {
            s[i] = (i % 2 == 0 ? 1 : -1) * (0.1f + 0.01f * i);
        }
        s[5] = -10f;
        s[7] = 1e-4f;
        boolean[] m = ep.trainingMask(1);
        assertTrue(m[5], "the largest |score| is kept although it is negative");
        assertFalse(m[7], "the smallest |score| is left out although it is positive");
        // the 9 largest magnitudes: position 5 and the 8 of largest 0.1 + 0.01 i, i = 35 down to 28
        for (int i = 0; i < 36; i++) {
            assertEquals(i == 5 || i >= 28, m[i], "position " + i);
        }
    }

    @Test
    void supermaskKeepsEachConnectionWithProbabilitySigmoidOfItsScore() {
        Model model = mlp(seed, false);
        LearnedSupermask sm = new LearnedSupermask(model, true, LearnedSupermask.Evaluation.SAMPLED, 10,
                Optimizer.named("sgd", 0, 0), LearningRate.constant(0.1), new Rng(seed));
        float[] s = sm.scores.get(1).value().data();
        for (int i = 0; i < s.length; i++) {
            s[i] = -3f + 6f * i / (s.length - 1);
        }
        int draws = 4000;
        int[] kept = new int[s.length];
        for (int d = 0; d < draws; d++) {
            boolean[] m = sm.trainingMask(1);
            for (int i = 0; i < m.length; i++) {
                kept[i] += m[i] ? 1 : 0;
            }
        }
        for (int i = 0; i < s.length; i++) {
            double p = 1 / (1 + Math.exp(-s[i]));
            double sd = Math.sqrt(p * (1 - p) / draws);
            assertEquals(p, kept[i] / (double) draws, 5 * sd + 1e-3, "score " + s[i] + ", seed " + seed);
        }
    }

    private static Map<String, float[]> values(Model m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Parameter p : m.parameters()) {
            out.put(p.name(), p.value().data().clone());
        }
        return out;
    }

    private void train(Model model, List<Trainer.Hook> hooks, Optimizer opt, long iterations) {
        new Trainer(cpu, Progress.NONE).train(model, opt, LearningRate.constant(0.05), data(seed),
                new TrainConfig(iterations, 16, 10, seed), "test", hooks);
    }

    @Test
    void edgePopupKeepsItsWeightsAndItsCountsAndMovesItsMasks() {
        Model model = mlp(seed, false);
        EdgePopup ep = new EdgePopup(model, 0.3, true, Optimizer.named("momentum", 0.9, 0),
                LearningRate.constant(0.05), new Rng(seed));
        List<float[]> w0 = ep.fixed.stream().map(float[]::clone).toList();
        Map<String, float[]> before = values(model);
        boolean[] firstMask = model.parameter("fc1.weight").mask().toArray();
        // the fixed weights are the signed Kaiming constant, scaled by 1/sqrt(0.3)
        double c = Math.sqrt(2.0 / 12) / Math.sqrt(0.3);
        for (float v : w0.get(0)) {
            assertEquals(c, Math.abs(v), 1e-6);
        }
        train(model, List.of(ep), Optimizer.named("adam", 0.9, 0), 40);
        for (int l = 0; l < ep.weights.size(); l++) {
            Parameter w = ep.weights.get(l);
            assertEquals(Math.round(0.3 * w.size()), w.mask().keptCount(), w.name() + " keeps its k");
            boolean[] k = w.mask().toArray();
            float[] v = w.value().data();
            for (int i = 0; i < v.length; i++) {
                assertEquals(k[i] ? w0.get(l)[i] : 0f, v[i], 0f, "kept weights are w0 exactly, the rest zero");
            }
        }
        assertArrayEquals(before.get("fc1.bias"), model.parameter("fc1.bias").value().data(), "biases frozen");
        assertArrayEquals(before.get("fc2.bias"), model.parameter("fc2.bias").value().data(), "biases frozen");
        assertFalse(java.util.Arrays.equals(firstMask, model.parameter("fc1.weight").mask().toArray()),
                "the scores moved the mask");
    }

    @Test
    void batchNormOnlyTrainsTheScalesAndShiftsAndNothingElse() {
        Model model = mlp(seed, true);
        BatchNormOnly method = new BatchNormOnly();
        var prepared = method.prepare(model, null);
        Map<String, float[]> before = values(model);
        train(model, prepared.hooks(), Optimizer.named("adam", 0.9, 1e-4), 30);
        for (Parameter p : model.parameters()) {
            float[] now = p.value().data();
            switch (p.kind()) {
                case WEIGHT, BIAS -> assertArrayEquals(before.get(p.name()), now, p.name() + " stays at its init");
                case NORM_SCALE, NORM_SHIFT -> assertFalse(java.util.Arrays.equals(before.get(p.name()), now),
                        p.name() + " trains");
                default -> { }
            }
        }
        assertTrue(prepared.label().get().startsWith("BatchNorm only ("), prepared.label().get());
    }

    @Test
    void nearZeroCountsTheSilencedScales() {
        Model model = mlp(seed, true);
        float[] gamma = model.parameter("bn1.weight").value().data();
        float[] set = {0.01f, -0.02f, 0.049f, 0.05f, -0.5f, 1f, 2f, 0f, -0.06f};
        System.arraycopy(set, 0, gamma, 0, 9);
        // |gamma| < 0.05: 0.01, -0.02, 0.049, 0 -> 4 of 9
        assertEquals(4 / 9.0, BatchNormOnly.nearZero(model, 0.05), 1e-12);
    }

    @Test
    void batchNormOnlyRefusesAModelWithoutBatchNorm() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BatchNormOnly().check(mlp(seed, false), null));
        assertTrue(e.getMessage().contains("--model mlp-bn"), e.getMessage());
    }

    @Test
    void supermaskEvaluatesTheExpectedNetworkAndTrainsOnSamples() {
        Model model = mlp(seed, false);
        LearnedSupermask sm = new LearnedSupermask(model, false, LearnedSupermask.Evaluation.EXPECTED, 20,
                Optimizer.named("adam", 0.9, 0), LearningRate.constant(0.05), new Rng(seed));
        train(model, List.of(sm), Optimizer.named("adam", 0.9, 0), 20);
        // after the last evaluation the model is the expected network: w0 * sigmoid(s), no mask
        for (int l = 0; l < sm.weights.size(); l++) {
            Parameter w = sm.weights.get(l);
            assertNull(w.mask());
            float[] v = w.value().data(), s = sm.scores(l), w0 = sm.fixed.get(l);
            for (int i = 0; i < v.length; i++) {
                assertEquals(w0[i] * LearnedSupermask.sigmoid(s[i]), v[i], 1e-6);
            }
        }
        double d = sm.expectedDensity();
        assertTrue(d > 0 && d < 1, "expected density " + d);
        assertNotEquals(0.5, d, "the scores trained away from sigmoid(0)");
    }
}
