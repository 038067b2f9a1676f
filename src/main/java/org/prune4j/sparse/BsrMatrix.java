package org.prune4j.sparse;

import java.util.Arrays;
import org.prune4j.tensor.Tensor;

/**
 * Block sparse rows with r x c blocks, r and c each one of 1, 2, 4, 8, 16, 32. Block row
 * {@code bi} holds blocks {@code blockRowPtr[bi] .. blockRowPtr[bi+1]-1}; block {@code p} sits
 * at block column {@code blockColIdx[p]} (strictly increasing within a block row) and its
 * r*c values are {@code values[p*r*c ..]}, row-major inside the block.
 *
 * <p>Shapes that do not divide: the block grid is ceil(rows/r) x ceil(cols/c) and edge blocks
 * are stored full size; their entries outside the matrix are padding and must be zero. This
 * keeps every block the same size, which is what the tensor-core kernels want, and
 * {@link #toDense()} crops the padding away.
 */
public final class BsrMatrix implements SparseMatrix {
    private static final int[] ALLOWED = {1, 2, 4, 8, 16, 32};

    private final int rows;
    private final int cols;
    private final int blockRows;
    private final int blockCols;
    private final int[] blockRowPtr;
    private final int[] blockColIdx;
    private final float[] values;
    private volatile BsrMatrix transposed;

    public BsrMatrix(int rows, int cols, int blockRows, int blockCols, int[] blockRowPtr, int[] blockColIdx,
            float[] values) {
        this(rows, cols, blockRows, blockCols, blockRowPtr.clone(), blockColIdx.clone(), values.clone(), true);
    }

    private BsrMatrix(int rows, int cols, int blockRows, int blockCols, int[] blockRowPtr, int[] blockColIdx,
            float[] values, boolean validate) {
        this.rows = rows;
        this.cols = cols;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
        this.blockRowPtr = blockRowPtr;
        this.blockColIdx = blockColIdx;
        this.values = values;
        if (validate) {
            validate();
        }
    }

    public static void checkBlockSize(int r, int c) {
        if (Arrays.stream(ALLOWED).noneMatch(a -> a == r) || Arrays.stream(ALLOWED).noneMatch(a -> a == c)) {
            throw new IllegalArgumentException("BSR block size " + r + "x" + c + " is not supported; each side must be"
                    + " one of " + Arrays.toString(ALLOWED));
        }
    }

    private void validate() {
        Checks.requireShape(rows, cols);
        checkBlockSize(blockRows, blockCols);
        int gridRows = gridRows(), gridCols = gridCols();
        if (blockRowPtr.length != gridRows + 1) {
            throw new IllegalArgumentException("BSR blockRowPtr must have ceil(rows/r)+1 = " + (gridRows + 1)
                    + " entries, got " + blockRowPtr.length);
        }
        if (blockRowPtr[0] != 0 || blockRowPtr[gridRows] != blockColIdx.length) {
            throw new IllegalArgumentException("BSR blockRowPtr must start at 0 and end at the block count "
                    + blockColIdx.length + ", got " + blockRowPtr[0] + " .. " + blockRowPtr[gridRows]);
        }
        if ((long) blockColIdx.length * blockRows * blockCols != values.length) {
            throw new IllegalArgumentException("BSR with " + blockColIdx.length + " blocks of " + blockRows + "x"
                    + blockCols + " needs " + ((long) blockColIdx.length * blockRows * blockCols) + " values, got "
                    + values.length);
        }
        for (int bi = 0; bi < gridRows; bi++) {
            if (blockRowPtr[bi + 1] < blockRowPtr[bi]) {
                throw new IllegalArgumentException("BSR blockRowPtr decreases at block row " + bi);
            }
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int bj = blockColIdx[p];
                if (bj < 0 || bj >= gridCols) {
                    throw new IllegalArgumentException("BSR block column " + bj + " in block row " + bi
                            + " is outside [0, " + gridCols + ")");
                }
                if (p > blockRowPtr[bi] && bj <= blockColIdx[p - 1]) {
                    throw new IllegalArgumentException("BSR block columns of block row " + bi
                            + " must be strictly increasing; found " + blockColIdx[p - 1] + " then " + bj);
                }
                checkPadding(bi, bj, p);
            }
        }
        Checks.requireFinite(values, "BSR values");
    }

    private void checkPadding(int bi, int bj, int p) {
        int base = p * blockRows * blockCols;
        for (int r = 0; r < blockRows; r++) {
            for (int c = 0; c < blockCols; c++) {
                boolean outside = bi * blockRows + r >= rows || bj * blockCols + c >= cols;
                if (outside && values[base + r * blockCols + c] != 0f) {
                    throw new IllegalArgumentException("BSR edge block (" + bi + ", " + bj + ") has a nonzero in its"
                            + " padding at (" + r + ", " + c + "); entries outside the matrix must be zero");
                }
            }
        }
    }

    /**
     * Blocks of {@code dense} holding at least one entry that {@code mask} keeps; entries the
     * mask drops inside a kept block are stored as zeros, so {@code toDense()} equals
     * {@code mask.apply(dense)}.
     */
    public static BsrMatrix fromDense(Tensor dense, Mask mask, int blockRows, int blockCols) {
        Checks.requireMatrix(dense, "dense");
        mask.requireShape(dense);
        checkBlockSize(blockRows, blockCols);
        Checks.requireFiniteDense(dense, mask);
        int rows = dense.rows(), cols = dense.cols();
        int gr = ceilDiv(rows, blockRows), gc = ceilDiv(cols, blockCols);
        int[] ptr = new int[gr + 1];
        int[] idx = new int[gr * gc];
        int nb = 0;
        for (int bi = 0; bi < gr; bi++) {
            for (int bj = 0; bj < gc; bj++) {
                if (blockHasKept(mask, bi * blockRows, bj * blockCols, blockRows, blockCols)) {
                    idx[nb++] = bj;
                }
            }
            ptr[bi + 1] = nb;
        }
        int bs = blockRows * blockCols;
        float[] vals = new float[Math.multiplyExact(nb, bs)];
        float[] d = dense.data();
        for (int bi = 0; bi < gr; bi++) {
            for (int p = ptr[bi]; p < ptr[bi + 1]; p++) {
                int bj = idx[p];
                for (int r = 0; r < blockRows; r++) {
                    int i = bi * blockRows + r;
                    for (int c = 0; c < blockCols; c++) {
                        int j = bj * blockCols + c;
                        if (i < rows && j < cols && mask.kept(i, j)) {
                            vals[p * bs + r * blockCols + c] = d[i * cols + j];
                        }
                    }
                }
            }
        }
        return new BsrMatrix(rows, cols, blockRows, blockCols, ptr, Arrays.copyOf(idx, nb), vals, false);
    }

    private static boolean blockHasKept(Mask mask, int i0, int j0, int r, int c) {
        for (int i = i0; i < Math.min(i0 + r, mask.rows()); i++) {
            for (int j = j0; j < Math.min(j0 + c, mask.cols()); j++) {
                if (mask.kept(i, j)) {
                    return true;
                }
            }
        }
        return false;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The transpose (c x r blocks, each block transposed), built once and cached. */
    public BsrMatrix transpose() {
        BsrMatrix t = transposed;
        if (t == null) {
            t = buildTranspose();
            transposed = t;
        }
        return t;
    }

    private BsrMatrix buildTranspose() {
        int gr = gridRows(), gc = gridCols(), nb = blockColIdx.length, bs = blockRows * blockCols;
        int[] tPtr = new int[gc + 1];
        for (int p = 0; p < nb; p++) {
            tPtr[blockColIdx[p] + 1]++;
        }
        for (int j = 0; j < gc; j++) {
            tPtr[j + 1] += tPtr[j];
        }
        int[] next = Arrays.copyOf(tPtr, gc);
        int[] tIdx = new int[nb];
        float[] tVal = new float[values.length];
        for (int bi = 0; bi < gr; bi++) {
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int q = next[blockColIdx[p]]++;
                tIdx[q] = bi;
                for (int r = 0; r < blockRows; r++) {
                    for (int c = 0; c < blockCols; c++) {
                        tVal[q * bs + c * blockRows + r] = values[p * bs + r * blockCols + c];
                    }
                }
            }
        }
        BsrMatrix t = new BsrMatrix(cols, rows, blockCols, blockRows, tPtr, tIdx, tVal, false);
        t.transposed = this;
        return t;
    }

    @Override
    public Tensor toDense() {
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        int bs = blockRows * blockCols;
        for (int bi = 0; bi < gridRows(); bi++) {
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int bj = blockColIdx[p];
                for (int r = 0; r < blockRows; r++) {
                    int i = bi * blockRows + r;
                    for (int c = 0; c < blockCols && i < rows; c++) {
                        int j = bj * blockCols + c;
                        if (j < cols) {
                            d[i * cols + j] = values[p * bs + r * blockCols + c];
                        }
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

    public int blockRows() {
        return blockRows;
    }

    public int blockCols() {
        return blockCols;
    }

    public int gridRows() {
        return ceilDiv(rows, blockRows);
    }

    public int gridCols() {
        return ceilDiv(cols, blockCols);
    }

    public int blockCount() {
        return blockColIdx.length;
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    @Override
    public String format() {
        return "bsr-" + blockRows + "x" + blockCols;
    }

    /** Shared, read-only. */
    public int[] blockRowPtr() {
        return blockRowPtr;
    }

    /** Shared, read-only. */
    public int[] blockColIdx() {
        return blockColIdx;
    }

    /** Shared, read-only. */
    public float[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "BsrMatrix[" + rows + "x" + cols + ", blocks " + blockRows + "x" + blockCols + ", count="
                + blockColIdx.length + "]";
    }
}
