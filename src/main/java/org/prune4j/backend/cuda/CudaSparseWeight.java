package org.prune4j.backend.cuda;

import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.CsrMatrix;

/**
 * A CSR pattern on the GPU for training: the row index (with rows ordered longest first, as the
 * CSR kernel wants) for the forward product and weight gradient, the column index as the CSR of
 * W^T (with {@code perm} from its entries back to CSR order) for the input gradient, and each
 * entry's dense position for gathering and scattering values. Built once per mask, with the
 * scratch the products transpose activations into, grown on demand and reused every step.
 */
final class CudaSparseWeight implements SparseWeight {
    final int rows;
    final int cols;
    final int nnz;
    private final String backend;
    final DeviceBuffer rowPtr;
    final DeviceBuffer colIdx;
    final DeviceBuffer rowOrder;
    final DeviceBuffer colPtr;
    final DeviceBuffer rowIdx;
    final DeviceBuffer colOrder;
    final DeviceBuffer perm;
    final DeviceBuffer pos;
    private final DeviceScratch scratch;

    /** Scratch slots: x^T, y^T (or dy^T), dx^T, values in column order, spare. */
    static final int XT = 0;
    static final int YT = 1;
    static final int DXT = 2;
    static final int COLUMN_VALUES = 3;

    CudaSparseWeight(CudaDevice device, CsrMatrix pattern, String backend) {
        this.backend = backend;
        this.scratch = new DeviceScratch(device, 5);
        rows = pattern.rows();
        cols = pattern.cols();
        nnz = pattern.nnz();
        int[] rp = pattern.rowPtr(), ci = pattern.colIdx();
        int[] cp = new int[cols + 1];
        for (int c : ci) {
            cp[c + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            cp[c + 1] += cp[c];
        }
        int[] ri = new int[nnz], pm = new int[nnz], ps = new int[nnz], next = java.util.Arrays.copyOf(cp, cols);
        for (int r = 0; r < rows; r++) {
            for (int p = rp[r]; p < rp[r + 1]; p++) {
                int q = next[ci[p]]++;
                ri[q] = r;
                pm[q] = p;
                ps[p] = r * cols + ci[p];
            }
        }
        DeviceBuffer[] b = CudaBackend.uploadAll(device, rp, ci, CudaBackend.longestFirst(rp, rows), cp, ri,
                CudaBackend.longestFirst(cp, cols), pm, ps);
        rowPtr = b[0];
        colIdx = b[1];
        rowOrder = b[2];
        colPtr = b[3];
        rowIdx = b[4];
        colOrder = b[5];
        perm = b[6];
        pos = b[7];
    }

    /** Scratch buffer {@code slot} of at least {@code floats} values, kept for the next step. */
    DeviceBuffer scratch(int slot, long floats) {
        return scratch.get(slot, floats);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int nnz() {
        return nnz;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public void close() {
        CudaBackend.closeAll(new DeviceBuffer[] {rowPtr, colIdx, rowOrder, colPtr, rowIdx, colOrder, perm, pos});
        scratch.close();
    }

    /** The CSR form of a prepared weight: itself, or the CSR half of a 2:4 weight (its gradients and value positions). */
    static CudaSparseWeight of(SparseWeight w, String op) {
        if (w instanceof CudaTwoFourWeight t) {
            return t.csr;
        }
        if (!(w instanceof CudaSparseWeight c)) {
            throw new IllegalArgumentException(op + ": the sparse weight was prepared by backend '" + w.backend()
                    + "'; prepare it with the CUDA backend that runs this step");
        }
        return c;
    }
}
