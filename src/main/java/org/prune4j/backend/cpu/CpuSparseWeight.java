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

    float[] packX(int size) {
        if (packX.length < size) {
            packX = new float[size];
        }
        return packX;
    }

    float[] packDy(int size) {
        if (packDy.length < size) {
            packDy = new float[size];
        }
        return packDy;
    }

    static CpuSparseWeight of(SparseWeight w, String op) {
        if (!(w instanceof CpuSparseWeight c)) {
            throw new IllegalArgumentException(op + ": sparse weight was prepared by backend '" + w.backend()
                    + "'; prepare it with the CPU backend that runs this step");
        }
        return c;
    }
}
