package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class PruningPartsTest {
    private final Rng rng = new Rng(System.nanoTime());

    private static Parameter weight(String name, int rows, int cols, float... w) {
        Parameter p = new Parameter(name, Parameter.Kind.WEIGHT, Tensor.wrap(w, rows, cols), cols, rows);
        return p;
    }

    @Test
    void layerwiseScopePrunesTheOutputLayerAtAScaledRate() {
        Parameter hidden = weight("h", 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Parameter out = weight("o", 1, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        Map<Parameter, Mask> m = new LayerwiseScope(0.5).select(List.of(new Scored(hidden, hidden.value().data(), false),
                new Scored(out, out.value().data(), true)), 0.8);
        // hidden keeps 80% (8 of 10: drops scores 1, 2); output keeps 90% (9 of 10: drops score 1)
        assertArrayEquals(new boolean[] {false, false, true, true, true, true, true, true, true, true},
                m.get(hidden).toArray());
        assertArrayEquals(new boolean[] {true, true, true, true, true, true, true, true, true, false},
                m.get(out).toArray());
    }

    @Test
    void globalScopeRanksAcrossLayersAndNeverRevives() {
        Parameter a = weight("a", 1, 4, 0.1f, 5f, 0.2f, 4f);
        Parameter b = weight("b", 1, 4, 3f, 0.3f, 2f, 9f);
        b.setMask(Mask.of(1, 4, new boolean[] {true, true, true, false}));
        // live: a all four, b three (9 is pruned and must stay pruned); keep half of 7 -> 4 (round 3.5)
        Map<Parameter, Mask> m = new GlobalScope().select(List.of(new Scored(a, a.value().data().clone(), false),
                new Scored(b, new float[] {3f, 0.3f, 2f, 100f}, true)), 0.5);
        assertArrayEquals(new boolean[] {false, true, false, true}, m.get(a).toArray());
        assertArrayEquals(new boolean[] {true, false, true, false}, m.get(b).toArray());
        // with the output layer (b) left dense, a alone is ranked: keep half of its 4 -> 5 and 4
        Map<Parameter, Mask> d = new GlobalScope(true).select(List.of(new Scored(a, a.value().data().clone(), false),
                new Scored(b, new float[] {3f, 0.3f, 2f, 100f}, true)), 0.5);
        assertArrayEquals(new boolean[] {false, true, false, true}, d.get(a).toArray());
        assertArrayEquals(new boolean[] {true, true, true, false}, d.get(b).toArray(), "b keeps its mask");
    }

    @Test
    void erkAllocationByHand() {
        // Linear 10 -> 20 (200 weights, factor 30/200) and 20 -> 5 (100 weights, factor 25/100).
        // Target 90 weights: eps (30 + 25) = 90 -> eps = 18/11; keeps 200*0.15*eps = 49.09 and
        // 100*0.25*eps = 40.9.
        Parameter l1 = weight("l1", 20, 10, new float[200]);
        Parameter l2 = weight("l2", 5, 20, new float[100]);
        long[] k = ErkScope.allocate(List.of(l1, l2), 90);
        assertEquals(49, k[0]);
        assertEquals(41, k[1]);
        // a tiny layer whose share exceeds its size keeps everything and the rest is re-shared
        Parameter small = weight("s", 2, 2, new float[4]);
        long[] k2 = ErkScope.allocate(List.of(l1, small), 100);
        assertEquals(4, k2[1]);
        assertEquals(96, k2[0]);
        // conv 3x3, 4 -> 8 channels stored 8 x 36 with fanOut 72: factor (4 + 8 + 3 + 3) / (4*8*9)
        Parameter conv = new Parameter("c", Parameter.Kind.WEIGHT, Tensor.zeros(8, 36), 36, 72);
        assertEquals(18.0 / 288, ErkScope.factor(conv), 1e-12);
    }

    @Test
    void prunerSubStepsCompoundToTheTarget() {
        Model m = Models.create("lenet300", 1, 8, 8, 10, rng);
        ScoringContext ctx = new ScoringContext(m, new CpuBackend(CpuBackend.bestGemm()), null, 1, 1, rng);
        Pruner.prune(ctx, new MagnitudeScore(), new GlobalScope(), 0.1, 10);
        assertEquals(0.1, m.density(), 0.002);
        for (Parameter p : m.prunable()) {
            float[] w = p.value().data();
            boolean[] k = p.mask().toArray();
            for (int i = 0; i < w.length; i++) {
                assertTrue(k[i] || w[i] == 0f, "pruned weights are zero");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Pruner.prune(ctx, new MagnitudeScore(), new GlobalScope(),
                0.0, 1));
    }

    @Test
    void schedulesByHand() {
        Schedule.Iterative it = new Schedule.Iterative(3, 0.2);
        assertEquals(1.0, it.density(0));
        assertEquals(0.512, it.density(3), 1e-12);
        Schedule.Gradual g = new Schedule.Gradual(0.9, 100, 1100, 100);
        assertEquals(0, g.sparsityAt(100));
        // half-way: 0.9 (1 - 0.5^3) = 0.7875
        assertEquals(0.7875, g.sparsityAt(600), 1e-12);
        assertEquals(0.9, g.sparsityAt(5000), 1e-12);
        assertTrue(g.prunesAt(200) && !g.prunesAt(250) && !g.prunesAt(100) && !g.prunesAt(1200));
        String msg = assertThrows(IllegalArgumentException.class, () -> new Schedule.OneShot(1.0)).getMessage();
        assertTrue(msg.contains("leaves no network"), msg);
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Iterative(3, 1.0));
    }

    @Test
    void resetsByHand() {
        Model m = Models.create("lenet300", 1, 6, 6, 10, rng);
        ModelState init = m.state();
        for (Parameter p : m.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] += 1f;
            }
        }
        Parameter fc1 = m.parameter("fc1.weight");
        Mask mask = Mask.random(fc1.value().rows(), fc1.value().cols(), 0.3, rng);
        fc1.setMask(mask);
        Reset.Context ctx = new Reset.Context(init, null, rng.split(77));
        new Reset.RewindToInit().apply(m, ctx);
        float[] w0 = init.value("fc1.weight"), w = fc1.value().data();
        for (int i = 0; i < w.length; i++) {
            assertEquals(mask.toArray()[i] ? w0[i] : 0f, w[i], 0f);
        }
        assertEquals(mask, fc1.mask(), "rewinding keeps the mask");
        new Reset.SignedConstant().apply(m, ctx);
        float c = (float) Math.sqrt(2.0 / (36 + 300));
        for (int i = 0; i < w.length; i++) {
            assertEquals(mask.toArray()[i] ? Math.signum(w0[i]) * c : 0f, w[i], 1e-7);
        }
        new Reset.RandomReinit().apply(m, ctx);
        int same = 0;
        for (int i = 0; i < w.length; i++) {
            assertTrue(mask.toArray()[i] || w[i] == 0f);
            same += mask.toArray()[i] && w[i] == w0[i] ? 1 : 0;
        }
        assertEquals(0, same, "re-initialised weights are new draws");
        String msg = assertThrows(IllegalStateException.class, () -> new Reset.RewindToIteration(500).apply(m, ctx))
                .getMessage();
        assertTrue(msg.contains("iteration 500"), msg);
    }

    @Test
    void namesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Scorers.named("l0"));
        assertThrows(IllegalArgumentException.class, () -> Scopes.named("local", 1));
        assertThrows(IllegalArgumentException.class, () -> Reset.named("rewind-to-init"));
        assertEquals(new Reset.RewindToIteration(300), Reset.named("rewind:300"));
    }
}
