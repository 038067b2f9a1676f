package org.prune4j;

import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/** Masks for kernel tests, built directly (not through the formats under test). */
public final class TestMasks {
    /** The shapes of sparsity every kernel test covers. */
    public enum Kind { RANDOM, EMPTY_ROWS, ALL_ZERO, DENSE }

    private TestMasks() {
    }

    /** Unstructured: about 30% kept; EMPTY_ROWS also clears every third row. */
    public static Mask unstructured(int rows, int cols, Kind kind, Rng rng) {
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                k[i * cols + j] = switch (kind) {
                    case RANDOM -> rng.nextBoolean(0.3);
                    case EMPTY_ROWS -> i % 3 != 1 && rng.nextBoolean(0.3);
                    case ALL_ZERO -> false;
                    case DENSE -> true;
                };
            }
        }
        return Mask.of(rows, cols, k);
    }

    /** N:M-valid: at most n kept in each group of m columns; DENSE keeps exactly min(n, width). */
    public static Mask nm(int rows, int cols, int n, int m, Kind kind, Rng rng) {
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (kind == Kind.ALL_ZERO || (kind == Kind.EMPTY_ROWS && i % 3 == 1)) {
                continue;
            }
            for (int g0 = 0; g0 < cols; g0 += m) {
                int width = Math.min(m, cols - g0);
                int want = kind == Kind.DENSE ? Math.min(n, width) : rng.nextInt(Math.min(n, width) + 1);
                int[] order = new int[width];
                for (int q = 0; q < width; q++) {
                    order[q] = q;
                }
                rng.shuffle(order);
                for (int t = 0; t < want; t++) {
                    k[i * cols + g0 + order[t]] = true;
                }
            }
        }
        return Mask.of(rows, cols, k);
    }

    /** Channel-structured: kept entries are the crossings of kept rows and kept columns. */
    public static Mask channels(int rows, int cols, Kind kind, Rng rng) {
        boolean[] rk = new boolean[rows], ck = new boolean[cols];
        for (int i = 0; i < rows; i++) {
            rk[i] = kind == Kind.DENSE || (kind != Kind.ALL_ZERO && rng.nextBoolean(0.6));
        }
        for (int j = 0; j < cols; j++) {
            ck[j] = kind == Kind.DENSE || kind == Kind.EMPTY_ROWS || (kind == Kind.RANDOM && rng.nextBoolean(0.7));
        }
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                k[i * cols + j] = rk[i] && ck[j];
            }
        }
        return Mask.of(rows, cols, k);
    }

    /**
     * Whole r x c blocks (edge blocks cut by the matrix), about 30% kept; EMPTY_ROWS also clears
     * every third block row.
     */
    public static Mask blocks(int rows, int cols, int r, int c, Kind kind, Rng rng) {
        int gr = (rows + r - 1) / r, gc = (cols + c - 1) / c;
        boolean[] grid = new boolean[gr * gc];
        for (int i = 0; i < gr; i++) {
            for (int j = 0; j < gc; j++) {
                grid[i * gc + j] = switch (kind) {
                    case RANDOM -> rng.nextBoolean(0.3);
                    case EMPTY_ROWS -> i % 3 != 1 && rng.nextBoolean(0.5);
                    case ALL_ZERO -> false;
                    case DENSE -> true;
                };
            }
        }
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                k[i * cols + j] = grid[(i / r) * gc + j / c];
            }
        }
        return Mask.of(rows, cols, k);
    }
}
