package org.prune4j.backend;

/**
 * The groups of operations a backend may implement. A backend declares the ones it runs in
 * {@link Capabilities}; {@link Backends#routed} sends the rest to the CPU, saying so once per
 * feature. Each method of {@link Backend} names its feature with {@link Requires}.
 */
public enum Feature {
    /** Dense matrix product. */
    GEMM,
    /** Sparse times dense, for the formats in {@link Capabilities#formats()}. */
    SPMM,
    /** Sampled dense-dense product at a CSR pattern. */
    SDDMM,
    /** axpy, scale, mul, fill, ReLU, bias rows. */
    ELEMENTWISE,
    /** Masks held by the backend: zero the pruned entries of a weight-shaped tensor. */
    MASKS,
    /** Persistent CSR weights for training: batch-major forward, both backward products, value gather/scatter. */
    SPARSE_TRAINING,
    /** im2col, col2im, block transposes and channel biases, for convolutions. */
    CONV,
    /** Max pooling and its gradient. */
    POOL,
    /** Batch normalisation, training and evaluation, and its gradient. */
    BATCH_NORM,
    /** Counter-based dropout and its gradient. */
    DROPOUT,
    /** Softmax cross-entropy with its gradient and device-side loss/accuracy sums. */
    LOSS,
    /** The knowledge-distillation loss of student against teacher logits, with its gradient. */
    DISTILLATION,
    /**
     * k-winners-take-all with boosting (Ahmad and Scheinkman 2019): the winners of each example
     * and the running duty cycles that boost them.
     */
    K_WINNERS,
    /**
     * The training-time weight forms of the sparsity regularisers: targeted weight dropout,
     * sparse variational dropout (local reparameterisation, KL), hard-concrete L0 gates.
     */
    SPARSITY_REGULARISERS,
    /** SGD (momentum, Nesterov) and Adam updates with weight decay and masks. */
    OPTIMIZER,
    /** Sums of squares (gradient norms) and non-finite counts into device-side scalars. */
    REDUCTION
}
