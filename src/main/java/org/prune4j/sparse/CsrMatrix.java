package org.prune4j.sparse;

import org.prune4j.tensor.Tensor;

/**
 * Compressed sparse rows: row i holds entries {@code rowPtr[i] .. rowPtr[i+1]-1} of
 * {@code colIdx} and {@code values}, with column indices strictly increasing within a row.
 * Immutable; the arrays are defensively copied in and must not be modified through the
 * accessors (they are shared for speed).
 */
public final class CsrMatrix implements SparseMatrix {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;
    private volatile CsrMatrix transposed;

    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this(rows, cols, rowPtr.clone(), colIdx.clone(), values.clone(), true);
    }

    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, boolean validate) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        Checks.requireShape(rows, cols);
        if (rowPtr.length != rows + 1) {
            throw new IllegalArgumentException("CSR rowPtr must have rows+1 = " + (rows + 1) + " entries, got "
                    + rowPtr.length);
        }
        if (rowPtr[0] != 0) {
            throw new IllegalArgumentException("CSR rowPtr[0] must be 0, got " + rowPtr[0]);
        }
        if (colIdx.length != values.length) {
            throw new IllegalArgumentException("CSR has " + colIdx.length + " column indices but " + values.length
                    + " values");
        }
        if (rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("CSR rowPtr[rows] = " + rowPtr[rows] + " must equal nnz = "
                    + colIdx.length);
        }
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException("CSR rowPtr decreases at row " + i + " (" + rowPtr[i] + " > "
                        + rowPtr[i + 1] + ")");
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int c = colIdx[p];
                if (c < 0 || c >= cols) {
                    throw new IllegalArgumentException("CSR column index " + c + " in row " + i
                            + " is outside [0, " + cols + ")");
                }
                if (p > rowPtr[i] && c <= colIdx[p - 1]) {
                    throw new IllegalArgumentException("CSR column indices of row " + i
                            + " must be strictly increasing (sorted, no duplicates); found " + colIdx[p - 1]
                            + " then " + c);
                }
            }
        }
        Checks.requireFinite(values, "CSR values");
    }

    /** The entries of {@code dense} that {@code mask} keeps (explicit zeros included). */
    public static CsrMatrix fromDense(Tensor dense, Mask mask) {
        Checks.requireMatrix(dense, "dense");
        mask.requireShape(dense);
        Checks.requireFiniteDense(dense, mask);
        int rows = dense.rows(), cols = dense.cols();
        int nnz = mask.keptCount();
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        float[] d = dense.data();
        int p = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (mask.kept(i, j)) {
                    colIdx[p] = j;
                    values[p] = d[i * cols + j];
                    p++;
                }
            }
            rowPtr[i + 1] = p;
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values, false);
    }

    /** The kept positions of {@code mask}, every value zero: a pattern for kernels that keep values apart. */
    public static CsrMatrix pattern(Mask mask) {
        int rows = mask.rows(), cols = mask.cols();
        boolean[] k = mask.toArray();
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[mask.keptCount()];
        int p = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (k[i * cols + j]) {
                    colIdx[p++] = j;
                }
            }
            rowPtr[i + 1] = p;
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, new float[p], false);
    }

    /** The nonzeros of {@code dense}. */
    public static CsrMatrix fromDense(Tensor dense) {
        return fromDense(dense, Mask.nonZeros(dense));
    }

    /** Same sparsity pattern, new values (one per stored entry). */
    public CsrMatrix withValues(float[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException("pattern has " + values.length + " entries, got " + newValues.length
                    + " values");
        }
        Checks.requireFinite(newValues, "CSR values");
        return new CsrMatrix(rows, cols, rowPtr, colIdx, newValues.clone(), false);
    }

    /** The transpose, built once and cached: backward passes call it for every step. */
    public CsrMatrix transpose() {
        CsrMatrix t = transposed;
        if (t == null) {
            t = buildTranspose();
            transposed = t;
        }
        return t;
    }

    private CsrMatrix buildTranspose() {
        int nnz = values.length;
        int[] tPtr = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            tPtr[colIdx[p] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            tPtr[j + 1] += tPtr[j];
        }
        int[] next = java.util.Arrays.copyOf(tPtr, cols);
        int[] tCol = new int[nnz];
        float[] tVal = new float[nnz];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int q = next[colIdx[p]]++;
                tCol[q] = i;
                tVal[q] = values[p];
            }
        }
        CsrMatrix t = new CsrMatrix(cols, rows, tPtr, tCol, tVal, false);
        t.transposed = this;
        return t;
    }

    /** The sparsity pattern as a mask. */
    public Mask pattern() {
        boolean[] k = new boolean[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                k[i * cols + colIdx[p]] = true;
            }
        }
        return Mask.of(rows, cols, k);
    }

    @Override
    public Tensor toDense() {
        org.prune4j.guard.HostMemory.requireArray((long) rows * cols, Float.BYTES, "the dense " + rows + "x" + cols
                + " copy of a sparse matrix");
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                d[i * cols + colIdx[p]] = values[p];
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

    public int nnz() {
        return values.length;
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    @Override
    public String format() {
        return "csr";
    }

    /** Shared, read-only. */
    public int[] rowPtr() {
        return rowPtr;
    }

    /** Shared, read-only. */
    public int[] colIdx() {
        return colIdx;
    }

    /** Shared, read-only. */
    public float[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + "x" + cols + ", nnz=" + values.length + "]";
    }
}
