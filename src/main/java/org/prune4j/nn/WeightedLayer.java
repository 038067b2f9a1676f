package org.prune4j.nn;

/** A layer with one prunable weight matrix whose product kernel can be chosen. */
public interface WeightedLayer extends Layer {

    Parameter weight();

    /** Picks the dense or sparse kernel for the weight's present density and the layer's shape; returns a log line. */
    String chooseKernel(KernelPolicy policy, LayerShape shape);

    /** As {@link #chooseKernel(KernelPolicy, LayerShape)} for a batch of one through this layer alone. */
    default String chooseKernel(KernelPolicy policy) {
        int[] s = weight().shape();
        return chooseKernel(policy, new LayerShape(s[0], s[1], 1, true, layout(), weight().structure()));
    }

    /** How this layer's weight product takes its activations. */
    default org.prune4j.backend.ActivationLayout layout() {
        return org.prune4j.backend.ActivationLayout.BATCH_MAJOR;
    }

    /** Rows of the weight product per example, for an input of this shape: 1, or a convolution's output pixels. */
    default int positions(int[] inputShape) {
        return 1;
    }

    /** Forces the sparse (true) or dense (false) path; the sparse path needs a mask. */
    void useSparseKernel(boolean sparse);

    /** Whether the layer runs on the sparse kernels now. */
    boolean sparseKernel();

    /**
     * Replaces the weight product by {@code form} (a sparsity regulariser's training-time
     * product) until called again with null; the bias and the layer's layout stay as they are.
     */
    void useForm(WeightForm form);
}
