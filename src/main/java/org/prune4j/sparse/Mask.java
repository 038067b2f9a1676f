package org.prune4j.sparse;

import java.util.Arrays;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Which entries of a rows x cols matrix are kept. Immutable. Built from the nonzeros of a
 * dense matrix, from scores and a target sparsity (the top-scoring entries are kept), or at
 * random.
 */
public final class Mask {
    private final int rows;
    private final int cols;
    private final boolean[] kept;
    private final int keptCount;

    private Mask(int rows, int cols, boolean[] kept) {
        this.rows = rows;
        this.cols = cols;
        this.kept = kept;
        int n = 0;
        for (boolean k : kept) {
            n += k ? 1 : 0;
        }
        this.keptCount = n;
    }

    public static Mask of(int rows, int cols, boolean[] kept) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("mask shape must be non-negative, got " + rows + "x" + cols);
        }
        if ((long) rows * cols != kept.length) {
            throw new IllegalArgumentException("mask of " + rows + "x" + cols + " needs " + ((long) rows * cols)
                    + " entries, got " + kept.length);
        }
        return new Mask(rows, cols, kept.clone());
    }

    public static Mask all(int rows, int cols) {
        boolean[] k = new boolean[Math.multiplyExact(rows, cols)];
        Arrays.fill(k, true);
        return new Mask(rows, cols, k);
    }

    public static Mask none(int rows, int cols) {
        return new Mask(rows, cols, new boolean[Math.multiplyExact(rows, cols)]);
    }

    /** Keeps the entries of {@code dense} that are not exactly zero. */
    public static Mask nonZeros(Tensor dense) {
        float[] d = dense.data();
        boolean[] k = new boolean[d.length];
        for (int i = 0; i < d.length; i++) {
            k[i] = d[i] != 0f;
        }
        return new Mask(dense.rows(), dense.cols(), k);
    }

    /**
     * Keeps the {@code round((1 - sparsity) * size)} entries with the highest scores; ties are
     * broken by position so the result is deterministic.
     */
    public static Mask topScores(Tensor scores, double sparsity) {
        checkSparsity(sparsity);
        float[] s = scores.data();
        int n = s.length;
        int keep = (int) Math.round((1.0 - sparsity) * n);
        int firstNaN = scores.firstNonFinite();
        if (firstNaN >= 0 && Float.isNaN(s[firstNaN])) {
            throw new IllegalArgumentException("scores contain NaN at flat index " + firstNaN
                    + "; check the weights or gradients the scores were computed from");
        }
        // One primitive sort of (score, index) keys: descending score, then ascending index.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(s[i] == 0f ? 0f : s[i]);
            int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            keys[i] = ((long) ~ascending << 32) | i;
        }
        Arrays.sort(keys);
        boolean[] k = new boolean[n];
        for (int i = 0; i < keep; i++) {
            k[(int) keys[i]] = true;
        }
        return new Mask(scores.rows(), scores.cols(), k);
    }

    /** Each entry kept independently with probability {@code density}. */
    public static Mask random(int rows, int cols, double density, Rng rng) {
        checkSparsity(1.0 - density);
        boolean[] k = new boolean[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < k.length; i++) {
            k[i] = rng.nextBoolean(density);
        }
        return new Mask(rows, cols, k);
    }

    /** Exactly {@code round(density * size)} entries kept, chosen uniformly at random. */
    public static Mask randomExact(int rows, int cols, double density, Rng rng) {
        checkSparsity(1.0 - density);
        return randomCount(rows, cols, (int) Math.round(density * Math.multiplyExact(rows, cols)), rng);
    }

    /** Exactly {@code kept} entries kept, chosen uniformly at random. */
    public static Mask randomCount(int rows, int cols, int kept, Rng rng) {
        int n = Math.multiplyExact(rows, cols);
        if (kept < 0 || kept > n) {
            throw new IllegalArgumentException("cannot keep " + kept + " of " + n + " entries");
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        rng.shuffle(idx);
        boolean[] k = new boolean[n];
        for (int i = 0; i < kept; i++) {
            k[idx[i]] = true;
        }
        return new Mask(rows, cols, k);
    }

    static void checkSparsity(double sparsity) {
        if (!(sparsity >= 0.0 && sparsity <= 1.0)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1] (fraction of entries removed), got "
                    + sparsity + "; for a percentage divide by 100");
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public boolean kept(int row, int col) {
        return kept[row * cols + col];
    }

    public int keptCount() {
        return keptCount;
    }

    public double density() {
        return kept.length == 0 ? 0.0 : (double) keptCount / kept.length;
    }

    public double sparsity() {
        return 1.0 - density();
    }

    /** Whether the entry at flat (row-major) position {@code i} is kept; reads without copying the mask. */
    public boolean keptAt(int i) {
        return kept[i];
    }

    public boolean[] toArray() {
        return kept.clone();
    }

    /** A copy of {@code dense} with the entries this mask drops set to zero. */
    public Tensor apply(Tensor dense) {
        requireShape(dense);
        Tensor out = dense.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            if (!kept[i]) {
                d[i] = 0f;
            }
        }
        return out;
    }

    void requireShape(Tensor dense) {
        if (!dense.isMatrix() || dense.rows() != rows || dense.cols() != cols) {
            throw new IllegalArgumentException("mask is " + rows + "x" + cols + " but the matrix is "
                    + dense.shapeString());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.rows == rows && m.cols == cols && Arrays.equals(m.kept, kept);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(kept);
    }
}
