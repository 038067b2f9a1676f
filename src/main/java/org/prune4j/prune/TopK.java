package org.prune4j.prune;

import java.util.Arrays;

/**
 * Picks the highest scores among live entries without boxing: each candidate becomes one long
 * whose high half orders scores from high to low and whose low half is the position, so a
 * primitive sort gives a deterministic order with ties broken by position.
 */
final class TopK {
    private TopK() {
    }

    static long key(float score, int position) {
        int bits = Float.floatToIntBits(score + 0f);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~sortable << 32) | (position & 0xffffffffL);
    }

    static int position(long key) {
        return (int) key;
    }

    /** Keeps the {@code k} best-scored entries among those with {@code alive[i]}. */
    static boolean[] keep(float[] scores, boolean[] alive, int k) {
        long[] keys = new long[scores.length];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (alive[i]) {
                keys[n++] = key(scores[i], i);
            }
        }
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + n + " live weights");
        }
        Arrays.sort(keys, 0, n);
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < k; i++) {
            out[position(keys[i])] = true;
        }
        return out;
    }

    static boolean[] alive(org.prune4j.nn.Parameter p) {
        if (p.mask() != null) {
            return p.mask().toArray();
        }
        boolean[] a = new boolean[p.size()];
        Arrays.fill(a, true);
        return a;
    }
}
