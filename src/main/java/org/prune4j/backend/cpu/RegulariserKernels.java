package org.prune4j.backend.cpu;

import org.prune4j.backend.DropoutHash;

/**
 * The sparsity regularisers' elementwise work on host arrays: targeted weight dropout's keep
 * mask. Single-threaded: one sort per row of the weight, small next to the products around it.
 */
final class RegulariserKernels {
    private RegulariserKernels() {
    }

    static void targetedKeep(float[] w, int rows, int cols, float gamma, float alpha, long seed, float[] keep) {
        int k = (int) Math.floor(gamma * (double) cols);
        long[] order = new long[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            java.util.Arrays.fill(keep, base, base + cols, 1f);
            if (k == 0) {
                continue;
            }
            // |w|'s bits order like its value (non-negative floats), the index breaks ties low-first
            for (int c = 0; c < cols; c++) {
                order[c] = ((long) Float.floatToRawIntBits(Math.abs(w[base + c])) << 32) | c;
            }
            java.util.Arrays.sort(order);
            for (int j = 0; j < k; j++) {
                int i = base + (int) order[j];
                if (DropoutHash.uniform(seed, i) < alpha) {
                    keep[i] = 0f;
                }
            }
        }
    }
}
