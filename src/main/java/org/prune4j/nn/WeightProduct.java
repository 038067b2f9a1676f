package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.tensor.Tensor;

/**
 * {@code y = x W^T} for a masked weight W (outputs x inputs) and its two gradients, with x
 * batch-major as it arrives: either dense GEMMs on the masked matrix or, on the sparse path, the
 * backend's persistent-CSR products on the weight's stored entries (forward, input gradient
 * over the column index, weight gradient at the pattern). The sparse form is built when the
 * path is chosen or the mask changes, never per step. Linear and Conv2d (on its im2col matrix)
 * share it.
 */
final class WeightProduct {
    private final Parameter weight;
    private boolean sparse;

    WeightProduct(Parameter weight) {
        this.weight = weight;
    }

    /** Sets the path for the weight's present density and this layer shape; returns a line for the log. */
    String choose(KernelPolicy policy, LayerShape shape) {
        if (weight.mask() == null) {
            sparse = false;
            return weight.name() + ": dense GEMM (no mask)";
        }
        double threshold = policy.threshold(shape);
        sparse = weight.density() < threshold;
        String what = sparse ? "CSR SpMM + SDDMM" : "masked dense GEMM";
        return String.format("%s: density %.4f -> %s (sparse below %.3f for %s; %s)", weight.name(), weight.density(),
                what, threshold, shape, policy.source());
    }

    /** Forces the path, for calibration and benchmarks. */
    void use(boolean sparsePath) {
        sparse = sparsePath;
    }

    boolean isSparse() {
        return sparse && weight.mask() != null;
    }

    Tensor forward(Tensor x, Pass pass) {
        Backend be = pass.backend();
        Tensor y = pass.buffer(this, "y", x.rows(), weight.shape()[0]);
        if (isSparse()) {
            SparseForm f = weight.sparse(be);
            be.sparseForward(f.pattern(), f.values(), x, y);
        } else {
            be.gemm(Op.N, Op.T, 1f, x, weight.resident(be), 0f, y);
        }
        return y;
    }

    /** Sets the weight gradient from dL/dy and returns dL/dx, or null when it is not wanted. */
    Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor dx = inputGradient ? pass.buffer(this, "dx", dy.rows(), weight.shape()[1]) : null;
        if (isSparse()) {
            SparseForm f = weight.sparse(be);
            be.sparseBackward(f.pattern(), f.values(), dy, x, dx, f.grads());
            return dx;
        }
        be.gemm(Op.T, Op.N, 1f, dy, x, 0f, weight.residentGrad(be));
        weight.gradWrittenDense();
        if (dx != null) {
            be.gemm(Op.N, Op.N, 1f, dy, weight.resident(be), 0f, dx);
        }
        return dx;
    }
}
