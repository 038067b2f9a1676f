package org.prune4j.nn;

/** A layer with one prunable weight matrix whose product kernel can be chosen. */
public interface WeightedLayer extends Layer {

    Parameter weight();

    /** Picks the dense or sparse kernel for the weight's present density; returns a log line. */
    String chooseKernel(KernelPolicy policy);

    /** Forces the sparse (true) or dense (false) path; the sparse path needs a mask. */
    void useSparseKernel(boolean sparse);

    /** Whether the layer runs on the sparse kernels now. */
    boolean sparseKernel();
}
