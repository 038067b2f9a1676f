package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Every structure checked against a plain reference: block and channel means recomputed in
 * double precision, N:M groups sorted by hand, and for channels the network's own outputs
 * (a removed channel's bias must no longer reach them).
 */
class StructureTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    {
        System.out.println("StructureTest seed " + seed);
    }

    private Parameter weight(String name, int rows, int cols) {
        return new Parameter(name, Parameter.Kind.WEIGHT, Tensor.uniform(rng.split(name.hashCode()), -1, 1, rows,
                cols), cols, rows);
    }

    private static float[] magnitudes(Parameter p) {
        float[] w = p.value().data(), s = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = Math.abs(w[i]);
        }
        return s;
    }

    /** Mean |w| of every r x c block of the live weights, by a direct loop; NaN for an empty block. */
    private static double[][] blockMeans(Parameter p, int r, int c) {
        int rows = p.value().rows(), cols = p.value().cols();
        double[][] sum = new double[Math.ceilDiv(rows, r)][Math.ceilDiv(cols, c)];
        int[][] n = new int[sum.length][sum[0].length];
        boolean[] alive = TopK.alive(p);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (alive[i * cols + j]) {
                    sum[i / r][j / c] += Math.abs(p.value().data()[i * cols + j]);
                    n[i / r][j / c]++;
                }
            }
        }
        for (int a = 0; a < sum.length; a++) {
            for (int b = 0; b < sum[0].length; b++) {
                sum[a][b] = n[a][b] == 0 ? Double.NaN : sum[a][b] / n[a][b];
            }
        }
        return sum;
    }

    /** Checks every block is whole and returns {lowest kept mean, highest pruned mean}. */
    private static double[] checkWholeBlocks(Parameter p, Mask m, int r, int c) {
        int rows = p.value().rows(), cols = p.value().cols();
        double[][] mean = blockMeans(p, r, c);
        double lowestKept = Double.POSITIVE_INFINITY, highestPruned = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < mean.length; a++) {
            for (int b = 0; b < mean[0].length; b++) {
                int kept = 0, size = 0;
                for (int i = a * r; i < Math.min(rows, a * r + r); i++) {
                    for (int j = b * c; j < Math.min(cols, b * c + c); j++) {
                        kept += m.kept(i, j) ? 1 : 0;
                        size++;
                    }
                }
                assertTrue(kept == 0 || kept == size, p.name() + " block (" + a + ", " + b + ") is split: " + kept
                        + " of " + size);
                if (kept > 0) {
                    lowestKept = Math.min(lowestKept, mean[a][b]);
                } else {
                    highestPruned = Math.max(highestPruned, mean[a][b]);
                }
            }
        }
        return new double[] {lowestKept, highestPruned};
    }

    @Test
    void blocksAreWholeTheBestByMeanMagnitudeAndTheCountIsWithinABlock() {
        for (int[] shape : new int[][] {{13, 22}, {16, 32}, {37, 45}}) {
            for (int[] b : new int[][] {{4, 4}, {2, 8}, {1, 1}, {8, 16}}) {
                Parameter p = weight("w" + shape[0] + "x" + shape[1], shape[0], shape[1]);
                double keep = 0.3;
                Map<Parameter, Mask> m = new BlockStructure(b[0], b[1]).select(List.of(new Scored(p, magnitudes(p),
                        false)), keep, new LayerwiseScope(1));
                Mask mask = m.get(p);
                double[] order = checkWholeBlocks(p, mask, b[0], b[1]);
                assertTrue(order[0] >= order[1] - 1e-6, "a kept block ranks below a pruned one: " + order[0] + " < "
                        + order[1]);
                int target = (int) Math.round(p.size() * keep);
                assertEquals(target, mask.keptCount(), b[0] * b[1], "within a block of the target");
            }
        }
        // a 1x1 layer: kept whole at keep 1, and a step that would empty it is refused by name
        Parameter one = weight("tiny", 1, 1);
        List<Scored> s = List.of(new Scored(one, magnitudes(one), false));
        assertEquals(1, new BlockStructure(1, 1).select(s, 1, new LayerwiseScope(1)).get(one).keptCount());
        String msg = assertThrows(IllegalArgumentException.class, () -> new BlockStructure(4, 4).select(s, 0.3,
                new LayerwiseScope(1))).getMessage();
        assertTrue(msg.contains("tiny") && msg.contains("without a single group"), msg);
    }

    @Test
    void globalBlocksRankAcrossLayersAndNeverRevive() {
        Parameter a = weight("a", 16, 24);
        Parameter b = weight("b", 8, 16);
        // b's first block row is already pruned; it must stay pruned
        boolean[] kb = new boolean[b.size()];
        for (int i = 4 * 16; i < kb.length; i++) {
            kb[i] = true;
        }
        b.setMask(Mask.of(8, 16, kb));
        // b's values are doubled so its blocks outrank a's on average
        float[] d = b.value().data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= 2;
        }
        Map<Parameter, Mask> m = new BlockStructure(4, 4).select(List.of(new Scored(a, magnitudes(a), false),
                new Scored(b, magnitudes(b), true)), 0.4, new GlobalScope());
        double[] oa = checkWholeBlocks(a, m.get(a), 4, 4), ob = checkWholeBlocks(b, m.get(b), 4, 4);
        assertTrue(Math.min(oa[0], ob[0]) >= Math.max(oa[1], Double.isNaN(ob[1]) ? oa[1] : ob[1]) - 1e-6,
                "global: a kept block below a pruned one in the other layer");
        for (int i = 0; i < 4 * 16; i++) {
            assertFalse(m.get(b).keptAt(i), "a pruned block came back");
        }
        long live = a.alive() + b.alive(), kept = m.get(a).keptCount() + m.get(b).keptCount();
        assertEquals(Math.round(live * 0.4), kept, 16, "within one block of the global target");
    }

    @Test
    void nmKeepsTheBestNOfEveryMAlongTheInputs() {
        for (int[] nm : new int[][] {{2, 4}, {1, 8}, {3, 8}, {1, 2}}) {
            int n = nm[0], m = nm[1];
            Parameter p = weight("w", 7, 11);
            Map<Parameter, Mask> masks = new NmStructure(n, m).select(List.of(new Scored(p, magnitudes(p), true)),
                    n / (double) m, new GlobalScope());
            Mask mask = masks.get(p);
            float[] w = p.value().data();
            for (int i = 0; i < 7; i++) {
                for (int j0 = 0; j0 < 11; j0 += m) {
                    int len = Math.min(m, 11 - j0);
                    List<Integer> group = new ArrayList<>();
                    for (int j = j0; j < j0 + len; j++) {
                        group.add(i * 11 + j);
                    }
                    group.sort((x, y) -> Float.compare(Math.abs(w[y]), Math.abs(w[x])));
                    for (int t = 0; t < len; t++) {
                        assertEquals(t < Math.min(n, len), mask.keptAt(group.get(t)), n + ":" + m + " row " + i
                                + " group at " + j0 + " rank " + t);
                    }
                }
            }
        }
    }

    @Test
    void badStructuresAreRefusedWithTheRule() {
        for (String bad : new String[] {"block:3x3", "block:4", "nm:4:4", "nm:2:16", "nm:0:4", "rows", "block:axb",
                "nm:2:4:1", ""}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> Structure.parse(bad), bad).getMessage();
            assertTrue(msg.contains("block") || msg.contains("N:M") || msg.contains("BSR") || msg.contains("nm:"),
                    bad + ": " + msg);
        }
        assertEquals("block:4x8", Structure.parse(" Block:4x8 ").name());
        Parameter p = weight("w", 4, 8);
        String msg = assertThrows(IllegalArgumentException.class, () -> new NmStructure(2, 4).select(List.of(
                new Scored(p, magnitudes(p), true)), 0.3, new LayerwiseScope(1))).getMessage();
        assertTrue(msg.contains("--schedule oneshot --sparsity 0.5"), msg);
    }

    @Test
    void removedChannelsNoLongerReachTheOutput() {
        for (String name : new String[] {"lenet300", "conv2", "mlp-bn"}) {
            Model model = Models.create(name, 1, 8, 8, 10, rng);
            CpuBackend be = new CpuBackend(CpuBackend.bestGemm());
            ScoringContext ctx = new ScoringContext(model, be, null, 1, 1, rng);
            Pruner.prune(ctx, new MagnitudeScore(), new StructuredScope(new ChannelStructure(), new LayerwiseScope(1)),
                    0.5, 1);
            List<Parameter> w = model.prunable();
            Tensor x = Tensor.uniform(rng.split(9), 0, 1, 4, 1, 8, 8);
            float[] before = model.forward(x, Pass.eval(be)).data().clone();
            for (int l = 0; l < w.size() - 1; l++) {
                Parameter p = w.get(l);
                int rows = p.value().rows(), cols = p.value().cols(), removed = 0;
                String layer = p.name().substring(0, p.name().indexOf('.'));
                for (int i = 0; i < rows; i++) {
                    boolean any = false;
                    for (int j = 0; j < cols; j++) {
                        any |= p.mask().kept(i, j);
                    }
                    if (any) {
                        continue;
                    }
                    removed++;
                    // a removed channel still computes its bias (and BatchNorm shift); change them
                    for (Parameter q : model.parameters()) {
                        if (!q.prunable() && q.size() == rows && (q.name().startsWith(layer + ".")
                                || q.name().startsWith("bn" + layer.substring(2) + "."))) {
                            q.value().data()[i] += 50f;
                        }
                    }
                }
                assertEquals(rows / 2.0, removed, 1, name + " " + p.name() + ": half the channels removed");
            }
            float[] after = model.forward(x, Pass.eval(be)).data();
            assertArrayEquals(before, after, 1e-5f, name + ": a removed channel still reaches the output");
            // the output layer keeps every class
            Parameter out = w.get(w.size() - 1);
            for (int i = 0; i < out.value().rows(); i++) {
                boolean any = false;
                for (int j = 0; j < out.value().cols(); j++) {
                    any |= out.mask().kept(i, j);
                }
                assertTrue(any, "class " + i + " lost every input");
            }
        }
    }

    @Test
    void channelPruningThatWouldEmptyALayerIsRefused() {
        Model model = Models.create("lenet300", 1, 8, 8, 10, rng);
        ScoringContext ctx = new ScoringContext(model, new CpuBackend(CpuBackend.bestGemm()), null, 1, 1, rng);
        // fc2's 100 neurons are a third of the hidden weights' rows at most; scaling fc1 up makes the
        // global ranking take all of fc1 first and nothing of fc2
        float[] d = model.parameter("fc1.weight").value().data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= 1000;
        }
        String msg = assertThrows(IllegalArgumentException.class, () -> Pruner.prune(ctx, new MagnitudeScore(),
                new StructuredScope(new ChannelStructure(), new GlobalScope()), 0.05, 1)).getMessage();
        assertTrue(msg.contains("fc2.weight") && msg.contains("without a single group"), msg);
    }

    @Test
    void gradualBlockPruningReachesItsTargetDespiteRoundingEachStepToWholeBlocks() {
        Model model = Models.create("lenet300", 1, 8, 8, 10, rng);
        ScoringContext ctx = new ScoringContext(model, new CpuBackend(CpuBackend.bestGemm()), null, 1, 1, rng);
        // 60 small steps, most asking for less than half a 16x16 block of the output layer
        Schedule.Gradual schedule = new Schedule.Gradual(0.9, 0, 60, 1);
        GradualPruning g = new GradualPruning(schedule, new MagnitudeScore(), new StructuredScope(
                new BlockStructure(16, 16), new LayerwiseScope(1)), ctx, org.prune4j.nn.KernelPolicy.DEFAULT, 60,
                line -> { });
        for (long it = 1; it <= 60; it++) {
            g.afterStep(it, model);
        }
        assertEquals(0.1, model.density(), 0.01, "the target density, to a few blocks");
        for (Parameter p : model.prunable()) {
            checkWholeBlocks(p, p.mask(), 16, 16);
        }
    }

    @Test
    void randomControlsKeepTheStructureAndTheGroupCounts() {
        Parameter a = weight("a", 16, 24);
        Parameter b = weight("b", 10, 16);
        List<Scored> s = List.of(new Scored(a, magnitudes(a), false), new Scored(b, magnitudes(b), true));
        BlockStructure blocks = new BlockStructure(4, 8);
        Map<Parameter, Mask> m = blocks.select(s, 0.25, new LayerwiseScope(1));
        Map<Parameter, Mask> r = blocks.randomLike(List.of(a, b), m, rng);
        for (Parameter p : List.of(a, b)) {
            checkWholeBlocks(p, r.get(p), 4, 8);
        }
        assertEquals(m.get(a).keptCount(), r.get(a).keptCount(), "a has only whole 4x8 blocks");
        // b's 10 rows end in a 2-row edge block of 16 weights: the count is the nearest whole blocks give
        assertEquals(m.get(b).keptCount(), r.get(b).keptCount(), 16, "b keeps as many weights, to half a block");
        NmStructure nm = new NmStructure(2, 4);
        Map<Parameter, Mask> n = nm.select(s, 0.5, new LayerwiseScope(1));
        Map<Parameter, Mask> rn = nm.randomLike(List.of(a, b), n, rng);
        for (Parameter p : List.of(a, b)) {
            assertEquals(n.get(p).keptCount(), rn.get(p).keptCount());
            for (int g = 0; g < p.size() / 4; g++) {
                int k = 0;
                for (int j = 0; j < 4; j++) {
                    k += rn.get(p).keptAt(4 * g + j) ? 1 : 0;
                }
                assertEquals(2, k);
            }
        }
    }
}
