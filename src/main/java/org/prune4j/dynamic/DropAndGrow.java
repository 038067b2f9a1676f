package org.prune4j.dynamic;

import org.prune4j.prune.TopK;

/**
 * One connectivity update of one layer, as SET and RigL make it: drop the {@code k} active
 * connections of smallest magnitude, then grow {@code k} among the connections that were
 * inactive before the update, those with the highest growth scores (the dense gradient's
 * magnitude for RigL, random numbers for SET). A connection dropped by an update cannot be
 * regrown by the same update, so every grown connection is new: its weight and optimiser
 * state start at zero. The layer keeps exactly as many connections as before. Ties go to the
 * lower position, so the result is deterministic.
 */
public final class DropAndGrow {
    private DropAndGrow() {
    }

    /** The new mask and what changed, as flat positions of the weight. */
    public record Result(boolean[] mask, int[] dropped, int[] grown) {
    }

    /**
     * @param weights the layer's values (only active ones are looked at)
     * @param active  the present mask
     * @param growth  a score per position; only inactive positions are looked at
     * @param k       connections to move; at most the active count and the inactive count
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
            candidates[i] = !active[i];
        }
        boolean[] grow = TopK.keep(growth, candidates, k);
        boolean[] mask = active.clone();
        int[] dropped = new int[k], grown = new int[k];
        int d = 0, g = 0;
        for (int i = 0; i < n; i++) {
            if (drop[i]) {
                mask[i] = false;
                dropped[d++] = i;
            }
            if (grow[i]) {
                mask[i] = true;
                grown[g++] = i;
            }
        }
        return new Result(mask, dropped, grown);
    }
}
