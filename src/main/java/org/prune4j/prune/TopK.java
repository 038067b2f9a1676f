package org.prune4j.prune;

import java.util.Arrays;

/**
 * Picks the highest scores among live entries without boxing: each candidate becomes one long
 * whose high half orders scores from high to low and whose low half is the position, so the
 * order is total and ties are broken by position. Selecting the k best is a linear-time
 * partition of those keys, not a sort: mask learners pick a top-k every step.
 */
public final class TopK {
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

    /**
     * Keeps the {@code k} best-scored entries among those with {@code alive[i]}; among equal
     * scores the lower position wins. NaN scores are refused: they have no place in an order.
     */
    public static boolean[] keep(float[] scores, boolean[] alive, int k) {
        long[] keys = new long[scores.length];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (alive[i]) {
                if (Float.isNaN(scores[i])) {
                    throw new IllegalArgumentException("score at position " + i + " is NaN; the weights or gradients "
                            + "it was computed from are not finite");
                }
                keys[n++] = key(scores[i], i);
            }
        }
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + n + " live weights");
        }
        selectSmallest(keys, n, k);
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < k; i++) {
            out[position(keys[i])] = true;
        }
        return out;
    }

    /** The k best of all entries. */
    public static boolean[] keep(float[] scores, int k) {
        boolean[] all = new boolean[scores.length];
        Arrays.fill(all, true);
        return keep(scores, all, k);
    }

    /** Rearranges {@code a[0, n)} so that its {@code k} smallest values come first, in any order. */
    static void selectSmallest(long[] a, int n, int k) {
        int lo = 0, hi = n - 1;
        long seed = 0x9E3779B97F4A7C15L ^ n;
        while (lo < hi && k > lo && k <= hi) {
            // a pseudo-random pivot keeps adversarial (sorted, constant) inputs linear on average
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            long pivot = a[lo + (int) Long.remainderUnsigned(seed >>> 16, hi - lo + 1)];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // now a[lo..j] <= pivot <= a[i..hi], and everything strictly between equals the pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
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
