package org.prune4j.backend.cpu;

/**
 * k-winners-take-all on host arrays. Each example's winners come from a min-heap of the k best
 * (boosted value, index) pairs seen so far, so a selection costs O(m log k) for m values and the
 * order is total: a larger boosted value wins, an equal one goes to the lower index. The boosted
 * values are computed in double, so the choice does not depend on float rounding of the boost.
 */
final class KWinnersKernels {
    private KWinnersKernels() {
    }

    /**
     * Writes y (x at the winners, else 0) and winners (1/0) for n examples of units x spatial
     * values; {@code strength} 0 skips the boost.
     */
    static void select(float[] x, int n, int units, int spatial, int k, double strength, float[] dutyCycle, float[] y,
            float[] winners) {
        int m = units * spatial;
        double target = k / (double) m;
        double[] factor = new double[units];
        for (int u = 0; u < units; u++) {
            factor[u] = strength == 0 ? 1 : Math.exp(strength * (target - dutyCycle[u]));
        }
        double[] b = new double[m];
        int[] heap = new int[k];
        for (int e = 0; e < n; e++) {
            int off = e * m;
            for (int i = 0; i < m; i++) {
                // + 0.0 turns -0.0 into 0.0, so the two tie and the index decides
                b[i] = x[off + i] * factor[i / spatial] + 0.0;
            }
            int size = 0;
            for (int i = 0; i < m; i++) {
                if (size < k) {
                    heap[size] = i;
                    siftUp(heap, size++, b);
                } else if (worse(heap[0], i, b)) {
                    heap[0] = i;
                    siftDown(heap, k, b);
                }
            }
            java.util.Arrays.fill(y, off, off + m, 0f);
            java.util.Arrays.fill(winners, off, off + m, 0f);
            for (int j = 0; j < k; j++) {
                int i = heap[j];
                y[off + i] = x[off + i];
                winners[off + i] = 1f;
            }
        }
    }

    /**
     * Adds a batch's outputs to the duty cycles: seen[0] += n; with p = min(period, seen), each
     * unit's cycle becomes (cycle * (p - n) + positive outputs / spatial) / p.
     */
    static void updateDutyCycle(float[] y, int n, int units, int spatial, int period, float[] dutyCycle,
            float[] seen) {
        double total = seen[0] + (double) n;
        seen[0] = (float) total;
        double p = Math.min(period, total);
        int m = units * spatial;
        for (int u = 0; u < units; u++) {
            long active = 0;
            for (int e = 0; e < n; e++) {
                int from = e * m + u * spatial;
                for (int i = from; i < from + spatial; i++) {
                    if (y[i] > 0) {
                        active++;
                    }
                }
            }
            dutyCycle[u] = (float) ((dutyCycle[u] * (p - n) + active / (double) spatial) / p);
        }
    }

    /** Whether candidate i loses to candidate j: smaller boosted value, or equal and a higher index. */
    private static boolean worse(int i, int j, double[] b) {
        int c = Double.compare(b[i], b[j]);
        return c < 0 || (c == 0 && i > j);
    }

    private static void siftUp(int[] h, int at, double[] b) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!worse(h[at], h[parent], b)) {
                return;
            }
            int t = h[at];
            h[at] = h[parent];
            h[parent] = t;
            at = parent;
        }
    }

    private static void siftDown(int[] h, int size, double[] b) {
        int at = 0;
        while (true) {
            int l = 2 * at + 1, r = l + 1, worst = at;
            if (l < size && worse(h[l], h[worst], b)) {
                worst = l;
            }
            if (r < size && worse(h[r], h[worst], b)) {
                worst = r;
            }
            if (worst == at) {
                return;
            }
            int t = h[at];
            h[at] = h[worst];
            h[worst] = t;
            at = worst;
        }
    }
}
