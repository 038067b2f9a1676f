package org.prune4j.nn;

import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.tensor.Tensor;

/**
 * The product of a masked weight W (outputs x inputs) with activations in the layout they come
 * in, and its two gradients: batch-major {@code y = x W^T} for a fully connected layer,
 * feature-major {@code y = W x} for a convolution's im2col matrix. Either dense GEMMs on the
 * masked matrix or, on the sparse path, the backend's persistent sparse products on the weight's
 * stored entries (forward, input gradient over the column index, weight gradient at the
 * pattern), in the mask's blocks where the backend has block kernels; the sparse form is built when the path is chosen or the mask changes, never per
 * step. Linear and Conv2d use it; the kernel calibration times it alone.
 */
public final class WeightProduct {
    private final Parameter weight;
    private final ActivationLayout layout;
    private boolean sparse;
    private WeightForm form;

    public WeightProduct(Parameter weight, ActivationLayout layout) {
        this.weight = weight;
        this.layout = layout;
    }

    public ActivationLayout layout() {
        return layout;
    }

    /** Sets the path for the weight's present density and this layer shape; returns a line for the log. */
    String choose(KernelPolicy policy, LayerShape shape) {
        if (weight.mask() == null) {
            sparse = false;
            return weight.name() + ": dense GEMM (no mask)";
        }
        // The mask's structure is part of the key: a backend with block or 2:4 kernels runs such
        // a mask on them, and they win from a higher density than CSR does.
        shape = shape.withStructure(weight.structure());
        double threshold = policy.threshold(shape);
        sparse = weight.density() < threshold;
        String what = !sparse ? "masked dense GEMM"
                : shape.structure().twoFour() ? "2:4 products (a bf16 forward on sparse tensor cores where the backend"
                        + " has them, else CSR)"
                : shape.blocks().isBlocked() ? "block-sparse products (" + shape.blocks() + " blocks)"
                : "CSR SpMM + SDDMM";
        return String.format("%s: density %.4f -> %s (sparse below %.3f for %s; %s)", weight.name(), weight.density(),
                what, threshold, shape, policy.source());
    }

    /** Computes through {@code form} instead (null: the plain product again); the form must be for this weight. */
    void useForm(WeightForm f) {
        if (f != null && (f.weight != weight || f.layout != layout)) {
            throw new IllegalArgumentException("a weight form for " + f.weight.name() + " (" + f.layout + ") cannot "
                    + "replace the product of " + weight.name() + " (" + layout + ")");
        }
        form = f;
    }

    /** Forces the path; the sparse one needs a mask. */
    public void use(boolean sparsePath) {
        sparse = sparsePath;
    }

    public boolean isSparse() {
        return sparse && weight.mask() != null;
    }

    private int examples(Tensor t) {
        return layout == ActivationLayout.BATCH_MAJOR ? t.rows() : t.cols();
    }

    private Tensor activation(Pass pass, String name, int features, int n) {
        return layout == ActivationLayout.BATCH_MAJOR ? pass.buffer(this, name, n, features)
                : pass.buffer(this, name, features, n);
    }

    public Tensor forward(Tensor x, Pass pass) {
        if (form != null) {
            return form.forward(x, pass);
        }
        Backend be = pass.backend();
        Tensor y = activation(pass, "y", weight.shape()[0], examples(x));
        if (isSparse()) {
            SparseForm f = weight.sparse(be);
            be.sparseForward(f.pattern(), f.values(), x, y, layout);
        } else if (layout == ActivationLayout.BATCH_MAJOR) {
            be.gemm(Op.N, Op.T, 1f, x, weight.resident(be), 0f, y);
        } else {
            be.gemm(Op.N, Op.N, 1f, weight.resident(be), x, 0f, y);
        }
        return y;
    }

    /** Sets the weight gradient from dL/dy and returns dL/dx, or null when it is not wanted. */
    public Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        if (form != null) {
            return form.backward(dy, x, pass, inputGradient);
        }
        Backend be = pass.backend();
        Tensor dx = inputGradient ? activation(pass, "dx", weight.shape()[1], examples(dy)) : null;
        if (isSparse()) {
            SparseForm f = weight.sparse(be);
            be.sparseBackward(f.pattern(), f.values(), dy, x, dx, f.grads(), layout);
            return dx;
        }
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        Tensor g = weight.residentGrad(be);
        if (batchMajor) {
            be.gemm(Op.T, Op.N, 1f, dy, x, 0f, g);
        } else {
            be.gemm(Op.N, Op.T, 1f, dy, x, 0f, g);
        }
        weight.gradWrittenDense();
        if (dx != null) {
            if (batchMajor) {
                be.gemm(Op.N, Op.N, 1f, dy, weight.resident(be), 0f, dx);
            } else {
                be.gemm(Op.T, Op.N, 1f, weight.resident(be), dy, 0f, dx);
            }
        }
        return dx;
    }
}
