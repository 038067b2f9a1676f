package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.tensor.Tensor;

/**
 * {@code y = x * W^T} for a masked weight W (outputs x inputs) and its two gradients, computed
 * either as a dense GEMM on the masked matrix or, below the policy's density, as CSR SpMM
 * (forward and input gradient) and SDDMM (weight gradient: only the kept entries are computed).
 * Linear and Conv2d (on its im2col matrix) share it.
 */
final class WeightProduct {
    private final Parameter weight;
    private boolean sparse;
    private CsrMatrix pattern;
    private int patternVersion = -1;
    private CsrMatrix current;
    private float[] gathered;

    WeightProduct(Parameter weight) {
        this.weight = weight;
    }

    /** Chooses the kernel for the weight's present density; returns a line for the log. */
    String choose(KernelPolicy policy) {
        sparse = weight.mask() != null && policy.sparse(weight.density());
        return String.format("%s: density %.4f -> %s (threshold %.3f, %s)", weight.name(), weight.density(),
                sparse ? "CSR SpMM + SDDMM" : "masked dense GEMM", policy.sparseBelowDensity(), policy.source());
    }

    boolean isSparse() {
        return sparse;
    }

    Tensor forward(Tensor x, Backend be) {
        Tensor w = weight.value();
        Tensor y = Tensor.zeros(x.rows(), w.rows());
        if (!sparse) {
            be.gemm(Op.N, Op.T, 1f, x, w, 0f, y);
            return y;
        }
        CsrMatrix csr = refresh();
        Tensor yt = Tensor.zeros(w.rows(), x.rows());
        be.spmm(csr, Op.N, x.transpose(), yt);
        return yt.transpose();
    }

    /** dL/dx = dy * W. */
    Tensor backwardInput(Tensor dy, Backend be) {
        Tensor w = weight.value();
        if (!sparse) {
            Tensor dx = Tensor.zeros(dy.rows(), w.cols());
            be.gemm(Op.N, Op.N, 1f, dy, w, 0f, dx);
            return dx;
        }
        Tensor dxt = Tensor.zeros(w.cols(), dy.rows());
        be.spmm(current, Op.T, dy.transpose(), dxt);
        return dxt.transpose();
    }

    /** dL/dW = dy^T * x on the kept entries; pruned entries of the gradient are zero. */
    void backwardWeight(Tensor dy, Tensor x, Backend be) {
        Tensor g = weight.grad();
        if (!sparse) {
            be.gemm(Op.T, Op.N, 1f, dy, x, 0f, g);
            weight.applyMask(g.data());
            return;
        }
        float[] vals = new float[pattern.nnz()];
        be.sddmm(dy.transpose(), x.transpose(), pattern, vals);
        float[] gd = g.data();
        java.util.Arrays.fill(gd, 0f);
        int[] rp = pattern.rowPtr(), ci = pattern.colIdx();
        int cols = g.cols();
        for (int r = 0; r < pattern.rows(); r++) {
            for (int p = rp[r]; p < rp[r + 1]; p++) {
                gd[r * cols + ci[p]] = vals[p];
            }
        }
    }

    /** The CSR matrix of the current weight values; the pattern is rebuilt only when the mask changes. */
    private CsrMatrix refresh() {
        if (pattern == null || patternVersion != weight.maskVersion()) {
            pattern = CsrMatrix.fromDense(weight.value(), weight.mask());
            patternVersion = weight.maskVersion();
            gathered = new float[pattern.nnz()];
        }
        float[] wd = weight.value().data();
        int[] rp = pattern.rowPtr(), ci = pattern.colIdx();
        int cols = weight.value().cols();
        for (int r = 0; r < pattern.rows(); r++) {
            for (int p = rp[r]; p < rp[r + 1]; p++) {
                gathered[p] = wd[r * cols + ci[p]];
            }
        }
        current = pattern.withValues(gathered);
        return current;
    }
}
