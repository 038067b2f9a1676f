package org.prune4j.dynamic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.nn.Parameter;
import org.prune4j.prune.TopK;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** The drop-and-grow rule, its schedule and the initial allocations, against hand-worked cases. */
class UpdateRulesTest {
    private final long seed = System.nanoTime();

    private static boolean[] mask(int... bits) {
        boolean[] m = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            m[i] = bits[i] == 1;
        }
        return m;
    }

    @Test
    void dropsTheSmallestActiveAndGrowsTheBestInactive() {
        // a 2x4 layer, 5 active: |w| of the active ones 0.5, 0.1, 0.9, 0.3, 0.2 at positions 0, 2, 3, 5, 7
        float[] w = {0.5f, 0f, -0.1f, 0.9f, 0f, -0.3f, 0f, 0.2f};
        boolean[] active = mask(1, 0, 1, 1, 0, 1, 0, 1);
        // growth scores: the kept positions 0, 3, 5 score highest but are not candidates; of the candidates
        // (inactive 1, 4, 6 and the dropped 2, 7) 4 and 6 score highest
        float[] growth = {9f, 0.2f, 0.1f, 9f, 0.7f, 9f, 0.4f, 0.05f};
        DropAndGrow.Result r = DropAndGrow.update(w, active, growth, 2);
        // the two smallest magnitudes are 0.1 (position 2) and 0.2 (position 7); the two best inactive are 4 and 6
        assertArrayEquals(new int[] {2, 7}, r.dropped());
        assertArrayEquals(new int[] {4, 6}, r.grown());
        assertArrayEquals(mask(1, 0, 0, 1, 1, 1, 1, 0), r.mask());
    }

    @Test
    void aDroppedConnectionWithTheBestGrowthScoreComesStraightBack() {
        float[] w = {0.01f, 0.5f, 0f, 0f};
        boolean[] active = mask(1, 1, 0, 0);
        // position 0 is dropped (smallest) and, scoring highest, grown back: nothing changes
        DropAndGrow.Result r = DropAndGrow.update(w, active, new float[] {100f, 0f, 0.3f, 0.6f}, 1);
        assertArrayEquals(active, r.mask());
        assertArrayEquals(new int[0], r.dropped());
        assertArrayEquals(new int[0], r.grown());
        // with a lower score it stays out and the best inactive one joins
        r = DropAndGrow.update(w, active, new float[] {0.1f, 0f, 0.3f, 0.6f}, 1);
        assertArrayEquals(new int[] {0}, r.dropped());
        assertArrayEquals(new int[] {3}, r.grown());
    }

    @Test
    void tiesGoToTheLowerPositionAndCountsStayFixed() {
        Rng rng = new Rng(seed);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rng.nextInt(300);
            boolean[] active = new boolean[n];
            int alive = 0;
            for (int i = 0; i < n; i++) {
                active[i] = rng.nextBoolean(0.4);
                alive += active[i] ? 1 : 0;
            }
            float[] w = new float[n], g = new float[n];
            for (int i = 0; i < n; i++) {
                // a few distinct values so ties are common
                w[i] = active[i] ? (rng.nextInt(4) - 2) * 0.5f : 0f;
                g[i] = rng.nextInt(3);
            }
            int k = Math.min(alive, n - alive) == 0 ? 0 : rng.nextInt(Math.min(alive, n - alive) + 1);
            DropAndGrow.Result r = DropAndGrow.update(w, active, g, k);
            int after = 0;
            for (boolean b : r.mask()) {
                after += b ? 1 : 0;
            }
            assertEquals(alive, after, "the layer keeps its count, seed " + seed);
            // reference: sort the active positions by (|w|, position) and drop the first k; sort what is
            // then outside the mask by (-g, position) and grow the first k
            Integer[] act = java.util.stream.IntStream.range(0, n).filter(i -> active[i]).boxed().toArray(Integer[]::new);
            Arrays.sort(act, (a, b) -> Math.abs(w[a]) != Math.abs(w[b]) ? Float.compare(Math.abs(w[a]),
                    Math.abs(w[b])) : Integer.compare(a, b));
            java.util.Set<Integer> drop = new java.util.HashSet<>(Arrays.asList(act).subList(0, k));
            Integer[] out = java.util.stream.IntStream.range(0, n).filter(i -> !active[i] || drop.contains(i)).boxed()
                    .toArray(Integer[]::new);
            Arrays.sort(out, (a, b) -> g[a] != g[b] ? Float.compare(g[b], g[a]) : Integer.compare(a, b));
            java.util.Set<Integer> grow = new java.util.HashSet<>(Arrays.asList(out).subList(0, k));
            int[] left = drop.stream().filter(i -> !grow.contains(i)).mapToInt(Integer::intValue).sorted().toArray();
            int[] joined = grow.stream().filter(i -> !drop.contains(i)).mapToInt(Integer::intValue).sorted()
                    .toArray();
            assertArrayEquals(left, r.dropped(), "seed " + seed);
            assertArrayEquals(joined, r.grown(), "seed " + seed);
            for (int i : r.grown()) {
                assertFalse(active[i], "only pruned connections are new");
            }
        }
    }

    @Test
    void topKSelectionMatchesASort() {
        Rng rng = new Rng(seed);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(2000);
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = trial % 3 == 0 ? rng.nextInt(5) : trial % 3 == 1 ? i : rng.uniform(-1, 1);
            }
            int k = rng.nextInt(n + 1);
            boolean[] got = TopK.keep(s, k);
            Integer[] order = java.util.stream.IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
            boolean[] want = new boolean[n];
            for (int i = 0; i < k; i++) {
                want[order[i]] = true;
            }
            assertArrayEquals(want, got, "n " + n + " k " + k + " seed " + seed);
        }
        assertThrows(IllegalArgumentException.class, () -> TopK.keep(new float[] {1f, Float.NaN}, 1));
    }

    @Test
    void cosineScheduleDecaysToZeroAndStopsAtItsEnd() {
        UpdateSchedule s = UpdateSchedule.of(100, 1000, 0.75, 0.3, true);
        assertEquals(750, s.stop());
        assertFalse(s.updatesAt(0));
        assertTrue(s.updatesAt(100));
        assertFalse(s.updatesAt(150));
        assertTrue(s.updatesAt(700));
        assertFalse(s.updatesAt(800), "no updates after 75% of training");
        assertEquals(7, s.updates());
        assertEquals(0.3, s.fractionAt(0), 1e-12);
        assertEquals(0.15, s.fractionAt(375), 1e-12);
        assertEquals(0.3 / 2 * (1 + Math.cos(Math.PI * 700 / 750)), s.fractionAt(700), 1e-12);
        UpdateSchedule c = UpdateSchedule.of(50, 200, 1, 0.3, false);
        assertEquals(0.3, c.fractionAt(150), 0);
        assertTrue(c.updatesAt(150));
        assertFalse(c.updatesAt(200), "the last step does not move connections");
    }

    @Test
    void badSchedulesAreRefusedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> UpdateSchedule.of(100, 1000, 0.75, 1.0, true));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UpdateSchedule.of(100, 1000, 0.75, 0, true));
        e = assertThrows(IllegalArgumentException.class, () -> UpdateSchedule.of(800, 1000, 0.75, 0.3, true));
        assertTrue(e.getMessage().contains("--update-every"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UpdateSchedule.of(10, 1000, 1.5, 0.3, true));
    }

    private static Parameter weight(String name, int rows, int cols) {
        return new Parameter(name, Parameter.Kind.WEIGHT, Tensor.zeros(rows, cols), cols, rows);
    }

    @Test
    void erAndErkAllocationsByHand() {
        // a 10x20 and a 4x5 layer; ER factors (20+10)/200 = 0.15 and (5+4)/20 = 0.45
        Parameter a = weight("a", 10, 20), b = weight("b", 4, 5);
        // density 0.25 of 220 weights = 55; eps (0.15*200 + 0.45*20) = 55 -> eps = 55/39
        long[] k = Allocation.ER.counts(List.of(a, b), 0.25);
        assertEquals(Math.round(55.0 / 39 * 30), k[0]);
        assertEquals(Math.round(55.0 / 39 * 9), k[1]);
        // at density 0.5 (110), b would get 110/39*9 = 25.4 > 20: it stays dense and a gets the other 90
        k = Allocation.ERK.counts(List.of(a, b), 0.5);
        assertArrayEquals(new long[] {90, 20}, k);
        assertArrayEquals(new long[] {50, 5}, Allocation.UNIFORM.counts(List.of(a, b), 0.25));
        // a conv weight 8 x (3*3*3): ER ignores the kernel area, ERK counts it
        Parameter conv = new Parameter("c", Parameter.Kind.WEIGHT, Tensor.zeros(8, 27), 27, 72);
        assertEquals((3.0 + 8) / (3 * 8), Allocation.erFactor(conv), 1e-12);
    }

    @Test
    void anAllocationThatCutsALayerIsRefused() {
        Parameter big = weight("big", 100, 100), tiny = weight("tiny", 1, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Allocation.UNIFORM.counts(List.of(big, tiny), 0.1));
        assertTrue(e.getMessage().contains("tiny") && e.getMessage().contains("lower the sparsity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Allocation.ERK.counts(List.of(big, tiny), 0.00001));
        assertTrue(e.getMessage().contains("big"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Allocation.ERK.counts(List.of(big), 0));
    }

    @Test
    void randomMasksHaveTheAllocatedCounts() {
        Parameter a = weight("a", 30, 40), b = weight("b", 10, 30);
        Map<Parameter, Mask> m = Allocation.ERK.randomMasks(List.of(a, b), 0.2, new Rng(seed));
        long[] want = Allocation.ERK.counts(List.of(a, b), 0.2);
        assertEquals(want[0], m.get(a).keptCount());
        assertEquals(want[1], m.get(b).keptCount());
    }
}
