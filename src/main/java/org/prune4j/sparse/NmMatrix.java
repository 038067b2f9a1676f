package org.prune4j.sparse;

import org.prune4j.tensor.Tensor;

/**
 * N:M structured sparsity along rows: each row is cut into groups of M consecutive columns
 * and each group stores exactly N slots (N <= M <= 8). Slot {@code s} of group {@code g} in row
 * {@code i} lives at flat index {@code (i * groups + g) * N + s} of {@link #values()} and
 * {@link #positions()}; its position (0..M-1) inside the group is strictly increasing across a
 * group's slots. A group with fewer than N kept entries fills the spare slots with zeros.
 *
 * <p>Shapes that do not divide: the last group of a row is padded to M columns. A slot may
 * point at a padding column only with the value zero; {@link #toDense()} drops it.
 */
public final class NmMatrix implements SparseMatrix {
    private final int rows;
    private final int cols;
    private final int n;
    private final int m;
    private final float[] values;
    private final byte[] positions;

    public NmMatrix(int rows, int cols, int n, int m, float[] values, byte[] positions) {
        this(rows, cols, n, m, values.clone(), positions.clone(), true);
    }

    private NmMatrix(int rows, int cols, int n, int m, float[] values, byte[] positions, boolean validate) {
        this.rows = rows;
        this.cols = cols;
        this.n = n;
        this.m = m;
        this.values = values;
        this.positions = positions;
        if (validate) {
            validate();
        }
    }

    static void checkPattern(int n, int m) {
        if (m < 1 || m > 8 || n < 1 || n > m) {
            throw new IllegalArgumentException("N:M needs 1 <= N <= M <= 8, got " + n + ":" + m);
        }
    }

    private void validate() {
        Checks.requireShape(rows, cols);
        checkPattern(n, m);
        long slots = (long) rows * groups() * n;
        if (values.length != slots || positions.length != slots) {
            throw new IllegalArgumentException(n + ":" + m + " matrix of " + rows + "x" + cols + " needs " + slots
                    + " values and positions, got " + values.length + " and " + positions.length);
        }
        int groups = groups();
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < groups; g++) {
                int base = (i * groups + g) * n;
                for (int s = 0; s < n; s++) {
                    int pos = positions[base + s];
                    if (pos < 0 || pos >= m) {
                        throw new IllegalArgumentException("N:M position " + pos + " at row " + i + ", group " + g
                                + " is outside [0, " + m + ")");
                    }
                    if (s > 0 && pos <= positions[base + s - 1]) {
                        throw new IllegalArgumentException("N:M positions at row " + i + ", group " + g
                                + " must be strictly increasing; found " + positions[base + s - 1] + " then " + pos);
                    }
                    if (g * m + pos >= cols && values[base + s] != 0f) {
                        throw new IllegalArgumentException("N:M slot at row " + i + ", group " + g
                                + " points at padding column " + (g * m + pos) + " with a nonzero value");
                    }
                }
            }
        }
        Checks.requireFinite(values, "N:M values");
    }

    /**
     * The entries of {@code dense} that {@code mask} keeps; fails when a group keeps more than
     * N entries, naming the group.
     */
    public static NmMatrix fromDense(Tensor dense, Mask mask, int n, int m) {
        Checks.requireMatrix(dense, "dense");
        mask.requireShape(dense);
        checkPattern(n, m);
        Checks.requireFiniteDense(dense, mask);
        int rows = dense.rows(), cols = dense.cols(), groups = BsrMatrix.ceilDiv(cols, m);
        float[] vals = new float[Math.multiplyExact(rows * groups, n)];
        byte[] pos = new byte[vals.length];
        float[] d = dense.data();
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < groups; g++) {
                int base = (i * groups + g) * n;
                boolean[] take = new boolean[m];
                int count = 0;
                for (int q = 0; q < m; q++) {
                    int j = g * m + q;
                    if (j < cols && mask.kept(i, j)) {
                        take[q] = true;
                        count++;
                    }
                }
                if (count > n) {
                    throw new IllegalArgumentException("mask keeps " + count + " entries in row " + i + ", columns "
                            + (g * m) + ".." + Math.min(cols - 1, g * m + m - 1) + ", more than the " + n + " of "
                            + n + ":" + m + "; prune with an " + n + ":" + m + " rule (NmMatrix.fromScores)");
                }
                // Spare slots take the lowest unused positions so positions stay increasing.
                for (int q = 0; q < m && count < n; q++) {
                    if (!take[q]) {
                        take[q] = true;
                        count++;
                    }
                }
                int s = 0;
                for (int q = 0; q < m; q++) {
                    if (take[q]) {
                        int j = g * m + q;
                        pos[base + s] = (byte) q;
                        vals[base + s] = j < cols && mask.kept(i, j) ? d[i * cols + j] : 0f;
                        s++;
                    }
                }
            }
        }
        return new NmMatrix(rows, cols, n, m, vals, pos, false);
    }

    /** Keeps, in each group of M, the N entries with the highest scores (ties: lower column). */
    public static NmMatrix fromScores(Tensor dense, Tensor scores, int n, int m) {
        Checks.requireMatrix(dense, "dense");
        checkPattern(n, m);
        if (!dense.sameShape(scores)) {
            throw new IllegalArgumentException("scores are " + scores.shapeString() + " but the matrix is "
                    + dense.shapeString());
        }
        int rows = dense.rows(), cols = dense.cols();
        boolean[] kept = new boolean[rows * cols];
        float[] s = scores.data();
        for (int i = 0; i < rows; i++) {
            for (int g0 = 0; g0 < cols; g0 += m) {
                int width = Math.min(m, cols - g0);
                for (int t = 0; t < Math.min(n, width); t++) {
                    int best = -1;
                    for (int q = 0; q < width; q++) {
                        int idx = i * cols + g0 + q;
                        if (Float.isNaN(s[idx])) {
                            throw new IllegalArgumentException("scores contain NaN at row " + i + ", column "
                                    + (g0 + q));
                        }
                        if (!kept[idx] && (best < 0 || s[idx] > s[best])) {
                            best = idx;
                        }
                    }
                    kept[best] = true;
                }
            }
        }
        return fromDense(dense, Mask.of(rows, cols, kept), n, m);
    }

    @Override
    public Tensor toDense() {
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        int groups = groups();
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < groups; g++) {
                int base = (i * groups + g) * n;
                for (int s = 0; s < n; s++) {
                    int j = g * m + positions[base + s];
                    if (j < cols) {
                        d[i * cols + j] = values[base + s];
                    }
                }
            }
        }
        return t;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public int n() {
        return n;
    }

    public int m() {
        return m;
    }

    public int groups() {
        return BsrMatrix.ceilDiv(cols, m);
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    @Override
    public String format() {
        return n + ":" + m;
    }

    /** Shared, read-only. */
    public float[] values() {
        return values;
    }

    /** Shared, read-only. */
    public byte[] positions() {
        return positions;
    }

    @Override
    public String toString() {
        return "NmMatrix[" + rows + "x" + cols + ", " + n + ":" + m + "]";
    }
}
