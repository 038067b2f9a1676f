package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.data.ImageData;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightForm;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.tensor.Rng;
import org.prune4j.train.Evaluation;
import org.prune4j.train.Progress;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.TrainResult;
import org.prune4j.train.Trainer;

/**
 * The regularisers end to end through the Java API: a LeNet-300-100 trains under each on a
 * small synthetic task and ends as a plain masked network with the mask density the method
 * implies, evaluated as that network.
 */
class SparsityRegulariserTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    static ImageData data() {
        return org.prune4j.testing.TinyData.fourStripes();
    }

    /** Trains lenet300 (36 -> 300 -> 100 -> 4) under {@code form} for 60 steps; returns the model. */
    private Model train(Function<WeightedLayer, WeightForm> form, ImageData data, TrainResult[] out,
            SparsityRegulariser[] hook) {
        Model m = Models.create("lenet300", 1, 6, 6, 4, new Rng(SEED));
        hook[0] = new SparsityRegulariser(m, form, Optimizer.named("adam", 0.9, 0), LearningRate.constant(2e-3), 60);
        out[0] = new Trainer(be, Progress.NONE).train(m, Optimizer.named("adam", 0.9, 0), LearningRate.constant(2e-3),
                data, new TrainConfig(60, 20, 30, 1), "regularised", List.of(hook[0]));
        return m;
    }

    /** What every regulariser promises: a plain masked network, pruned weights zero, evaluated as it is now. */
    private void assertEndsAsMaskedNetwork(Model m, TrainResult r, SparsityRegulariser hook, ImageData data) {
        assertTrue(hook.finished());
        assertEquals(60, r.earlyStop().iteration(), "only the final, masked network is a result");
        for (Parameter w : m.prunable()) {
            assertNotNull(w.mask(), w.name());
            float[] v = w.value().data();
            for (int i = 0; i < v.length; i++) {
                if (!w.mask().toArray()[i]) {
                    assertEquals(0.0, v[i], 0.0, w.name() + " pruned entry " + i);
                }
            }
        }
        Evaluation test = Evaluation.of(m, data.test(), be);
        assertEquals(test.accuracy(), r.last().testAccuracy(), 1e-9, "the last evaluation was of the masked network");
        assertEquals(test.loss(), r.last().testLoss(), 1e-4);
    }

    @Test
    void targetedDropoutEndsWithEachUnitsTargetedFractionPruned() {
        ImageData data = data();
        TrainResult[] r = new TrainResult[1];
        SparsityRegulariser[] hook = new SparsityRegulariser[1];
        Model m = train(Regularisers.form(Regularisers.TARGETED_DROPOUT, 0.75, 0.5, 0, 160), data, r, hook);
        assertEndsAsMaskedNetwork(m, r[0], hook[0], data);
        for (Parameter w : m.prunable()) {
            int rows = w.shape()[0], cols = w.shape()[1];
            int keep = cols - (int) Math.floor(0.75 * cols);
            boolean[] k = w.mask().toArray();
            for (int row = 0; row < rows; row++) {
                int kept = 0;
                for (int c = 0; c < cols; c++) {
                    kept += k[row * cols + c] ? 1 : 0;
                }
                assertEquals(keep, kept, w.name() + " row " + row);
            }
            assertEquals(keep / (double) cols, w.density(), 1e-12, w.name());
        }
    }

    /**
     * Trains under {@code form} with a hook whose end lies beyond the run, so the test can read
     * the forms' state, work out the mask by hand, then end the method itself.
     */
    private SparsityRegulariser trainUnfinished(Model m, Function<WeightedLayer, WeightForm> form, ImageData data,
            double auxRate) {
        SparsityRegulariser hook = new SparsityRegulariser(m, form, Optimizer.named("adam", 0.9, 0),
                LearningRate.constant(auxRate), 1_000_000);
        new Trainer(be, Progress.NONE).train(m, Optimizer.named("adam", 0.9, 0), LearningRate.constant(2e-3), data,
                new TrainConfig(60, 20, 30, 1), "regularised", List.of(hook));
        assertTrue(!hook.finished());
        return hook;
    }

    @Test
    void variationalDropoutEndsWithTheWeightsWhoseLogAlphaIsBelowThreeAndNothingElse() {
        ImageData data = data();
        Model m = Models.create("lenet300", 1, 6, 6, 4, new Rng(SEED));
        SparsityRegulariser hook = trainUnfinished(m, Regularisers.form(Regularisers.VARIATIONAL_DROPOUT, 0, 0, 0,
                160), data, 0.2);
        List<boolean[]> expected = new java.util.ArrayList<>();
        List<float[]> before = new java.util.ArrayList<>();
        long kept = 0, total = 0;
        for (WeightForm f : hook.forms()) {
            float[] w = f.weight().value().data().clone();
            float[] ls = ((org.prune4j.nn.VariationalDropout) f).logSigma2().value().data();
            boolean[] k = new boolean[w.length];
            for (int i = 0; i < w.length; i++) {
                double la = Math.max(-8, Math.min(8, ls[i] - Math.log((double) w[i] * w[i] + 1e-8)));
                k[i] = la < 3;
                kept += k[i] ? 1 : 0;
            }
            total += w.length;
            expected.add(k);
            before.add(w);
        }
        assertTrue(kept < total && kept > 0, "the KL pruned some weights in 60 steps, not all: " + kept + "/" + total);
        hook.finish();
        for (int l = 0; l < expected.size(); l++) {
            Parameter w = m.prunable().get(l);
            boolean[] k = w.mask().toArray();
            float[] v = w.value().data();
            for (int i = 0; i < k.length; i++) {
                assertEquals(expected.get(l)[i], k[i], w.name() + " entry " + i);
                assertEquals(k[i] ? before.get(l)[i] : 0f, v[i], 0f, w.name() + " value " + i);
            }
        }
        assertEquals(kept / (double) total, m.density(), 1e-12);
        // the layers are plain again: an evaluation pass is the masked product
        Evaluation e = Evaluation.of(m, data.test(), be);
        assertTrue(e.accuracy() >= 0 && Double.isFinite(e.loss()));
    }

    @Test
    void l0EndsWithTheGatesThatAreZeroAtTestTimePrunedAndTheRestFoldedIn() {
        ImageData data = data();
        Model m = Models.create("lenet300", 1, 6, 6, 4, new Rng(SEED));
        // fast gates (Adam at 0.05 moves log alpha up to 3 in 60 steps), so that some close
        SparsityRegulariser hook = trainUnfinished(m, Regularisers.form(Regularisers.L0, 0, 0, 0.1, 160), data, 0.05);
        List<float[]> expected = new java.util.ArrayList<>();
        long kept = 0, total = 0;
        for (WeightForm f : hook.forms()) {
            float[] w = f.weight().value().data().clone();
            float[] la = ((org.prune4j.nn.HardConcreteGates) f).logAlpha().value().data();
            float[] v = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                double zHat = Math.min(1, Math.max(0, 1.2 / (1 + Math.exp(-la[i])) - 0.1));
                v[i] = (float) (w[i] * zHat);
                kept += zHat > 0 ? 1 : 0;
            }
            total += w.length;
            expected.add(v);
        }
        assertTrue(kept < total && kept > 0, "the penalty closed some gates in 60 steps, not all: " + kept + "/" + total);
        hook.finish();
        for (int l = 0; l < expected.size(); l++) {
            Parameter w = m.prunable().get(l);
            float[] v = w.value().data();
            boolean[] k = w.mask().toArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(expected.get(l)[i], v[i], 1e-6f * Math.abs(expected.get(l)[i]), w.name() + " value " + i);
            }
            for (int i = 0; i < k.length; i++) {
                if (!k[i]) {
                    assertEquals(0.0, expected.get(l)[i], 0.0, w.name() + " pruned where the gate is open: " + i);
                }
            }
        }
        assertEquals(kept / (double) total, m.density(), 1e-12);
    }

    @Test
    void aMaskedModelAndUnknownMethodsAreRefused() {
        Model m = Models.create("lenet300", 1, 6, 6, 4, new Rng(1));
        Parameter w = m.prunable().get(0);
        w.setMask(org.prune4j.sparse.Mask.random(w.shape()[0], w.shape()[1], 0.5, new Rng(2)));
        String msg = assertThrows(IllegalArgumentException.class, () -> new SparsityRegulariser(m,
                Regularisers.form(Regularisers.TARGETED_DROPOUT, 0.5, 0.5, 0, 10), Optimizer.named("adam", 0.9, 0),
                LearningRate.constant(1e-3), 10)).getMessage();
        assertTrue(msg.contains("already has a mask"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Regularisers.check("dropconnect", 0, 0, 0))
                .getMessage();
        assertTrue(msg.contains("unknown regulariser") && msg.contains(Regularisers.TARGETED_DROPOUT), msg);
    }
}
