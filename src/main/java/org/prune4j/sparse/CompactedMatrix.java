package org.prune4j.sparse;

import java.util.Arrays;
import org.prune4j.tensor.Tensor;

/**
 * Channel (structured) sparsity: whole rows and/or columns removed. Stores the kept row and
 * column indices (strictly increasing) and the dense {@code keptRows x keptCols} block. A
 * pruned output channel is a removed row of the weight; a pruned input channel a removed
 * column. Products become small dense GEMMs plus a gather/scatter.
 */
public final class CompactedMatrix implements SparseMatrix {
    private final int rows;
    private final int cols;
    private final int[] keptRows;
    private final int[] keptCols;
    private final Tensor block;

    public CompactedMatrix(int rows, int cols, int[] keptRows, int[] keptCols, Tensor block) {
        this.rows = rows;
        this.cols = cols;
        this.keptRows = keptRows.clone();
        this.keptCols = keptCols.clone();
        this.block = block.copy();
        Checks.requireShape(rows, cols);
        checkIndices(this.keptRows, rows, "row");
        checkIndices(this.keptCols, cols, "column");
        Checks.requireMatrix(block, "compacted block");
        if (block.rows() != this.keptRows.length || block.cols() != this.keptCols.length) {
            throw new IllegalArgumentException("compacted block must be " + this.keptRows.length + "x"
                    + this.keptCols.length + " (kept rows x kept columns), got " + block.shapeString());
        }
        Checks.requireFinite(this.block.data(), "compacted block");
    }

    private static void checkIndices(int[] idx, int bound, String what) {
        for (int p = 0; p < idx.length; p++) {
            if (idx[p] < 0 || idx[p] >= bound) {
                throw new IllegalArgumentException("kept " + what + " index " + idx[p] + " is outside [0, " + bound + ")");
            }
            if (p > 0 && idx[p] <= idx[p - 1]) {
                throw new IllegalArgumentException("kept " + what + " indices must be strictly increasing; found "
                        + idx[p - 1] + " then " + idx[p]);
            }
        }
    }

    /**
     * Compacts a channel-structured mask: the kept entries must be exactly the crossings of some
     * set of rows and some set of columns, otherwise this names the first entry that breaks it.
     */
    public static CompactedMatrix fromDense(Tensor dense, Mask mask) {
        Checks.requireMatrix(dense, "dense");
        mask.requireShape(dense);
        int rows = dense.rows(), cols = dense.cols();
        boolean[] rowKept = new boolean[rows];
        boolean[] colKept = new boolean[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (mask.kept(i, j)) {
                    rowKept[i] = true;
                    colKept[j] = true;
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (rowKept[i] && colKept[j] && !mask.kept(i, j)) {
                    throw new IllegalArgumentException("mask is not channel-structured: row " + i + " and column " + j
                            + " are both kept but entry (" + i + ", " + j + ") is not; prune whole rows or columns"
                            + " (CompactedMatrix.fromRows) or use CSR/BSR for unstructured masks");
                }
            }
        }
        return fromRowsAndCols(dense, indices(rowKept), indices(colKept));
    }

    /** Keeps the listed rows (output channels) and every column. */
    public static CompactedMatrix fromRows(Tensor dense, int[] keptRows) {
        Checks.requireMatrix(dense, "dense");
        int[] all = new int[dense.cols()];
        Arrays.setAll(all, j -> j);
        return fromRowsAndCols(dense, keptRows, all);
    }

    public static CompactedMatrix fromRowsAndCols(Tensor dense, int[] keptRows, int[] keptCols) {
        Checks.requireMatrix(dense, "dense");
        checkIndices(keptRows, dense.rows(), "row");
        checkIndices(keptCols, dense.cols(), "column");
        Tensor block = Tensor.zeros(keptRows.length, keptCols.length);
        for (int a = 0; a < keptRows.length; a++) {
            for (int b = 0; b < keptCols.length; b++) {
                block.set(a, b, dense.get(keptRows[a], keptCols[b]));
            }
        }
        return new CompactedMatrix(dense.rows(), dense.cols(), keptRows, keptCols, block);
    }

    private static int[] indices(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        int[] idx = new int[n];
        int p = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                idx[p++] = i;
            }
        }
        return idx;
    }

    @Override
    public Tensor toDense() {
        Tensor t = Tensor.zeros(rows, cols);
        for (int a = 0; a < keptRows.length; a++) {
            for (int b = 0; b < keptCols.length; b++) {
                t.set(keptRows[a], keptCols[b], block.get(a, b));
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

    /** Shared, read-only. */
    public int[] keptRows() {
        return keptRows;
    }

    /** Shared, read-only. */
    public int[] keptCols() {
        return keptCols;
    }

    /** The kept rows x kept columns block; shared, read-only. */
    public Tensor block() {
        return block;
    }

    public boolean allColumnsKept() {
        return keptCols.length == cols;
    }

    @Override
    public long storedValues() {
        return block.size();
    }

    @Override
    public String format() {
        return "compacted";
    }

    @Override
    public String toString() {
        return "CompactedMatrix[" + rows + "x" + cols + " -> " + keptRows.length + "x" + keptCols.length + "]";
    }
}
