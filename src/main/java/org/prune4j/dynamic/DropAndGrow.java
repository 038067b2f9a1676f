package org.prune4j.dynamic;

import org.prune4j.prune.TopK;

/**
 * One connectivity update of one layer, as SET and RigL make it (Evci et al., Algorithm 1):
 * drop the {@code k} active connections of smallest magnitude, then grow {@code k} among all
 * connections outside what remains, those with the highest growth scores (the dense
 * gradient's magnitude for RigL, random numbers for SET). A connection can be dropped and
 * grown back by the same update; it then stays as it was, value and optimiser state (RigL's
 * code does the same by default), so the update changes only the {@link Result#dropped} and
 * {@link Result#grown} positions, and every grown one is new: it was pruned, so its weight and
 * optimiser state are zero. The layer keeps exactly as many connections as before. Ties go
 * to the lower position, so the result is deterministic.
 */
public final class DropAndGrow {
    private DropAndGrow() {
    }

    /** The new mask and what changed: positions that left it and positions that joined it, ascending. */
    public record Result(boolean[] mask, int[] dropped, int[] grown) {
    }

    /**
     * @param weights the layer's values (only active ones are looked at)
     * @param active  the present mask
     * @param growth  a score per position; only positions outside the mask after the drop are looked at
     * @param k       connections to drop and grow; at most the active count and the inactive count
     */
    public static Result update(float[] weights, boolean[] active, float[] growth, int k) {
        int n = active.length;
        if (weights.length != n || growth.length != n) {
            throw new IllegalArgumentException("weights, mask and growth scores differ in size: " + weights.length
                    + ", " + n + ", " + growth.length);
        }
        int alive = 0;
        for (boolean a : active) {
            alive += a ? 1 : 0;
        }
        if (k < 0 || k > alive || k > n - alive) {
            throw new IllegalArgumentException("cannot move " + k + " connections in a layer with " + alive
                    + " active of " + n);
        }
        float[] smallness = new float[n];
        for (int i = 0; i < n; i++) {
            smallness[i] = -Math.abs(weights[i]);
        }
        boolean[] drop = TopK.keep(smallness, active, k);
        boolean[] candidates = new boolean[n];
        for (int i = 0; i < n; i++) {
            candidates[i] = !active[i] || drop[i];
        }
        boolean[] grow = TopK.keep(growth, candidates, k);
        boolean[] mask = new boolean[n];
        int left = 0, joined = 0;
        for (int i = 0; i < n; i++) {
            mask[i] = (active[i] && !drop[i]) || grow[i];
            left += active[i] && !mask[i] ? 1 : 0;
            joined += !active[i] && mask[i] ? 1 : 0;
        }
        int[] dropped = new int[left], grown = new int[joined];
        for (int i = 0, d = 0, g = 0; i < n; i++) {
            if (active[i] && !mask[i]) {
                dropped[d++] = i;
            } else if (!active[i] && mask[i]) {
                grown[g++] = i;
            }
        }
        return new Result(mask, dropped, grown);
    }
}
