package org.prune4j.prune;

import java.util.Arrays;

/**
 * Picks the highest scores among live entries, ties broken by position, deterministically.
 * Within one tensor it is a linear-time radix selection (mask learners pick a top-k every
 * step); across tensors ({@link GlobalScope}) a candidate becomes one long whose high half
 * orders scores from high to low and whose low half is the position, and a primitive sort of
 * those gives the same order.
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
     * A radix selection (three passes of 11, 11 and 10 bits) finds the k-th best score without
     * sorting or data-dependent branches, then one pass marks what beats it and, in position
     * order, what ties it.
     */
    public static boolean[] keep(float[] scores, boolean[] alive, int k) {
        int n = 0;
        int[] key = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (alive[i]) {
                checkScore(scores[i], "a weight", i);
            }
            n += alive[i] ? 1 : 0;
            key[i] = order(scores[i]);
        }
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + n + " live weights");
        }
        boolean[] out = new boolean[scores.length];
        if (k == 0) {
            return out;
        }
        // the k-th largest order key among live entries, 11 bits at a time from the top; each
        // histogram is split four ways by position so that runs of equal digits (scores cluster)
        // do not queue on one counter
        int prefix = 0, above = 0;
        int[] shifts = {21, 10, 0}, widths = {11, 11, 10};
        for (int pass = 0; pass < 3; pass++) {
            int shift = shifts[pass], buckets = 1 << widths[pass], digit = buckets - 1;
            int[] h = new int[4 * buckets];
            int top = shift + widths[pass];
            for (int i = 0; i < scores.length; i++) {
                int u = key[i];
                boolean match = alive[i] & (pass == 0 | (u >>> top) == prefix);
                h[(i & 3) * buckets + ((u >>> shift) & digit)] += match ? 1 : 0;
            }
            int b = digit;
            while (true) {
                int count = h[b] + h[buckets + b] + h[2 * buckets + b] + h[3 * buckets + b];
                if (above + count >= k) {
                    break;
                }
                above += count;
                b--;
            }
            prefix = (prefix << widths[pass]) | b;
        }
        // keys above the threshold (unsigned, compared as signed after flipping the top bit),
        // then the ties in position order; only the rare ties take a branch
        int threshold = prefix ^ Integer.MIN_VALUE, ties = k - above;
        for (int i = 0; i < scores.length; i++) {
            out[i] = alive[i] & (key[i] ^ Integer.MIN_VALUE) > threshold;
        }
        for (int i = 0; i < scores.length && ties > 0; i++) {
            if (alive[i] && key[i] == prefix) {
                out[i] = true;
                ties--;
            }
        }
        return out;
    }

    /** Refuses a NaN score: it has no place in an order, and keeping or dropping it would both be a guess. */
    static void checkScore(float score, String weight, int position) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("the score of " + weight + " at position " + position + " is NaN; the "
                    + "weights or gradients it was computed from are not finite");
        }
    }

    /** The score as an unsigned key that orders like the score (-0 as 0). */
    private static int order(float score) {
        int bits = Float.floatToIntBits(score + 0f);
        return (bits ^ ((bits >> 31) | 0x80000000));
    }

    /** The k best of all entries. */
    public static boolean[] keep(float[] scores, int k) {
        boolean[] all = new boolean[scores.length];
        Arrays.fill(all, true);
        return keep(scores, all, k);
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
