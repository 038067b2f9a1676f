package org.prune4j.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.nn.Workspace;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.TrainingStep;

/**
 * SET and RigL inside a training loop: the layers run sparse between updates; an update moves
 * exactly the scheduled count per layer, grows only new connections, at zero, where the dense
 * gradient of that step's batch is largest (RigL), and changes the pattern only then.
 */
class DynamicSparsityTest {
    private final long seed = System.nanoTime();
    private final Backend cpu = Backends.host();

    private static Model model(long seed) {
        return MaskLearnersTest.mlpFor(seed);
    }

    /** The dense loss gradient at the model's present values on one batch, computed on a separate dense copy. */
    private static Map<String, float[]> denseGradient(Model model, long seed, Tensor x, int[] y) {
        Model copy = model(seed);
        copy.load(model.state());
        for (Parameter p : copy.prunable()) {
            p.setMask(null);
        }
        for (Parameter p : model.prunable()) {
            System.arraycopy(p.value().data(), 0, copy.parameter(p.name()).value().data(), 0, p.size());
        }
        Tensor logits = copy.forward(x, new Pass(Backends.host(), true, new Rng(1)));
        copy.backward(SoftmaxCrossEntropy.of(logits, y).grad());
        Map<String, float[]> g = new java.util.LinkedHashMap<>();
        for (Parameter p : copy.prunable()) {
            g.put(p.name(), p.grad().data().clone());
        }
        return g;
    }

    private void run(DynamicSparsity.Growth growth) {
        Model model = model(seed);
        Map<Parameter, Mask> init = Allocation.ERK.randomMasks(model.prunable(), 0.3, new Rng(seed));
        init.forEach(Parameter::setMask);
        long[] counts = model.prunable().stream().mapToLong(Parameter::alive).toArray();
        KernelPolicy allSparse = new KernelPolicy(1.0, "test: every masked layer sparse");
        model.chooseKernels(allSparse, 16);
        UpdateSchedule schedule = UpdateSchedule.of(5, 40, 0.75, 0.4, true);
        DynamicSparsity hook = new DynamicSparsity(schedule, growth, allSparse, 16, new Rng(seed + 3));
        ImageData d = MaskLearnersTest.data(seed);
        long[] movedTotal = {0};
        Optimizer adam = Optimizer.named("adam", 0.9, 0);
        try (Workspace ws = Workspace.caching(cpu)) {
            TrainingStep step = new TrainingStep(model, adam, ws, new Rng(2));
            int[] idx = new int[16];
            for (long it = 1; it <= 40; it++) {
                for (int i = 0; i < 16; i++) {
                    idx[i] = (int) ((it * 16 + i) % d.train().size());
                }
                Tensor x = d.train().images(idx, 0, 16);
                int[] y = d.train().labels(idx, 0, 16);
                hook.beforeStep(it, model);
                boolean update = schedule.updatesAt(it);
                for (WeightedLayer l : model.weightedLayers()) {
                    boolean dense = update && growth == DynamicSparsity.Growth.GRADIENT;
                    assertEquals(!dense, l.sparseKernel(), "sparse between updates; RigL's update steps dense; it " + it);
                }
                Map<String, float[]> reference = update && growth == DynamicSparsity.Growth.GRADIENT
                        ? denseGradient(model, seed, x, y) : null;
                int[] versions = model.prunable().stream().mapToInt(Parameter::maskVersion).toArray();
                boolean[][] before = model.prunable().stream().map(p -> p.mask().toArray()).toArray(boolean[][]::new);
                step.run(x, Tensor.wrap(labels(y), 16), 0.01);
                hook.afterStep(it, model);
                List<Parameter> ps = model.prunable();
                for (int l = 0; l < ps.size(); l++) {
                    Parameter p = ps.get(l);
                    assertEquals(counts[l], p.alive(), p.name() + " keeps its count, it " + it);
                    if (!update) {
                        assertEquals(versions[l], p.maskVersion(), "no pattern change between updates");
                        continue;
                    }
                    long k = Math.min(Math.round(schedule.fractionAt(it) * counts[l]), p.size() - counts[l]);
                    boolean[] after = p.mask().toArray();
                    float[] v = p.value().data();
                    int grown = 0;
                    for (int i = 0; i < after.length; i++) {
                        if (after[i] && !before[l][i]) {
                            grown++;
                            assertEquals(0f, v[i], 0f, "a grown weight starts at zero");
                        }
                    }
                    assertTrue(grown <= k, p.name() + " moved at most the scheduled count at " + it);
                    if (reference != null) {
                        // every new connection has a dense gradient at least as large as every pruned
                        // connection that stayed pruned
                        float[] g = reference.get(p.name());
                        float weakestGrown = Float.POSITIVE_INFINITY, strongestLeft = 0;
                        for (int i = 0; i < after.length; i++) {
                            if (after[i] && !before[l][i]) {
                                weakestGrown = Math.min(weakestGrown, Math.abs(g[i]));
                            } else if (!after[i] && !before[l][i]) {
                                strongestLeft = Math.max(strongestLeft, Math.abs(g[i]));
                            }
                        }
                        assertTrue(grown == 0 || weakestGrown >= strongestLeft - 1e-6f, p.name() + ": grew |g| "
                                + weakestGrown + " while |g| " + strongestLeft + " stayed pruned, seed " + seed);
                    }
                    movedTotal[0] += grown;
                }
                if (update) {
                    for (WeightedLayer l : model.weightedLayers()) {
                        assertTrue(l.sparseKernel(), "the update puts the sparse kernels back");
                    }
                }
            }
        }
        assertEquals(schedule.updates(), hook.updates());
        assertEquals(movedTotal[0], hook.moved());
        assertTrue(hook.moved() > 0, "connections moved");
    }

    private static float[] labels(int[] y) {
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = y[i];
        }
        return f;
    }

    @Test
    void riglGrowsWhereTheDenseGradientOfTheUpdateStepIsLargest() {
        run(DynamicSparsity.Growth.GRADIENT);
    }

    @Test
    void setRegrowsAtRandomAndKeepsTheCounts() {
        run(DynamicSparsity.Growth.RANDOM);
    }

    @Test
    void setGrowthIsRandomNotGradientLed() {
        // Over many draws each inactive position is grown about equally often.
        Rng rng = new Rng(seed);
        int n = 40, hits = 0;
        int[] grownAt = new int[n];
        boolean[] active = new boolean[n];
        Arrays.fill(active, 0, 10, true);
        float[] w = new float[n];
        for (int i = 0; i < 10; i++) {
            w[i] = i + 1;
        }
        for (int t = 0; t < 3000; t++) {
            float[] score = new float[n];
            for (int i = 0; i < n; i++) {
                score[i] = rng.nextFloat();
            }
            for (int g : DropAndGrow.update(w, active, score, 3).grown()) {
                grownAt[g]++;
                hits++;
            }
        }
        // each update drops the 3 smallest and draws 3 of the 33 positions outside what remains: each
        // of the 30 pruned positions joins with probability 3/33 (273 of 3000 updates, sd ~16)
        assertTrue(Math.abs(hits - 9000 * 30 / 33.0) < 200, "new connections " + hits);
        for (int i = 10; i < n; i++) {
            assertTrue(Math.abs(grownAt[i] - 3000 * 3 / 33.0) < 90, "position " + i + " grown " + grownAt[i] + " times");
        }
        assertFalse(Arrays.stream(grownAt, 0, 10).anyMatch(c -> c > 0), "only inactive positions grow");
        assertArrayEquals(new int[10], Arrays.copyOf(grownAt, 10));
    }
}
