package org.prune4j.backend;

/**
 * How the activations of a weight product are laid out. A fully connected layer's arrive
 * {@link #BATCH_MAJOR} (examples x features) and the products take them so; a convolution's
 * im2col matrix is built {@link #FEATURE_MAJOR} (features x output pixels of every image), the
 * layout in which its unfold and fold are contiguous copies and the dense product is one GEMM
 * {@code W cols} whose result is already channel-major.
 */
public enum ActivationLayout {
    /** x is examples x features, y examples x outputs: {@code y = x W^T}. */
    BATCH_MAJOR,
    /** x is features x examples, y outputs x examples: {@code y = W x}. */
    FEATURE_MAJOR
}
