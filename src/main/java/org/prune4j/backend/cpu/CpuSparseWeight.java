package org.prune4j.backend.cpu;

import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.CsrMatrix;

/**
 * A CSR pattern with its column index for training on the CPU: rows for the forward product
 * and the weight gradient, columns (CSC, with {@code perm} mapping each column entry to its CSR
 * position) for the input gradient. Built once per mask; also owns the scratch the kernels pack
 * activations into, grown on first use and reused every step, so a step allocates nothing.
 * One step at a time per weight: the scratch is not shared between threads.
 */
final class CpuSparseWeight implements SparseWeight {
    final int rows;
    final int cols;
    final int[] rowPtr;
    final int[] colIdx;
    final int[] colPtr;
    final int[] rowIdx;
    final int[] perm;
    float[] packX = new float[0];
    float[] packDy = new float[0];
    float[] cscValues;
    private int[][] panelSplit;

    CpuSparseWeight(CsrMatrix pattern) {
        rows = pattern.rows();
        cols = pattern.cols();
        rowPtr = pattern.rowPtr().clone();
        colIdx = pattern.colIdx().clone();
        int nnz = colIdx.length;
        colPtr = new int[cols + 1];
        for (int c : colIdx) {
            colPtr[c + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            colPtr[c + 1] += colPtr[c];
        }
        rowIdx = new int[nnz];
        perm = new int[nnz];
        int[] next = java.util.Arrays.copyOf(colPtr, cols);
        for (int r = 0; r < rows; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int q = next[colIdx[p]]++;
                rowIdx[q] = r;
                perm[q] = p;
            }
        }
        cscValues = new float[nnz];
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
        return colIdx.length;
    }

    @Override
    public String backend() {
        return "cpu";
    }

    float[] packX(long size) {
        if (packX.length < size) {
            packX = new float[Math.toIntExact(size)];
        }
        return packX;
    }

    float[] packDy(long size) {
        if (packDy.length < size) {
            packDy = new float[Math.toIntExact(size)];
        }
        return packDy;
    }

    /**
     * The pattern cut into {@code count} column panels: {@code split[k][r]} is the first entry
     * of row r whose column is in panel k or later (columns are sorted within a row), so panel
     * k of row r is entries {@code split[k][r] .. split[k+1][r]}. Built once per panel count.
     */
    int[][] panels(int count) {
        if (panelSplit == null || panelSplit.length != count + 1) {
            int[][] split = new int[count + 1][rows];
            for (int r = 0; r < rows; r++) {
                int p = rowPtr[r];
                for (int k = 0; k <= count; k++) {
                    int c0 = (int) ((long) cols * k / count);
                    while (p < rowPtr[r + 1] && colIdx[p] < c0) {
                        p++;
                    }
                    split[k][r] = k == count ? rowPtr[r + 1] : p;
                }
            }
            panelSplit = split;
        }
        return panelSplit;
    }

    static CpuSparseWeight of(SparseWeight w, String op) {
        if (!(w instanceof CpuSparseWeight c)) {
            throw new IllegalArgumentException(op + ": sparse weight was prepared by backend '" + w.backend()
                    + "'; prepare it with the CPU backend that runs this step");
        }
        return c;
    }
}
