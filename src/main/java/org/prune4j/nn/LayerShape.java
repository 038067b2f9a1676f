package org.prune4j.nn;

import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.MaskStructure;

/**
 * The products of one weighted layer in a training step: a weight of {@code outputs x inputs}
 * applied to {@code rows} examples (the batch for a Linear layer, batch x output pixels for a
 * convolution's im2col matrix) in the layer's activation layout, and whether the step needs its
 * input gradient (not for the first layer), and the structure of its mask (blocks or 2:4,
 * {@link MaskStructure#NONE} when unstructured), since a backend may have kernels for it. What a
 * whole-step kernel calibration is keyed by.
 */
public record LayerShape(int outputs, int inputs, int rows, boolean inputGradient,
        org.prune4j.backend.ActivationLayout layout, MaskStructure structure) {
    public LayerShape {
        if (outputs <= 0 || inputs <= 0 || rows <= 0) {
            throw new IllegalArgumentException("a layer shape needs positive sizes, got " + outputs + "x" + inputs
                    + " on " + rows + " rows");
        }
        java.util.Objects.requireNonNull(structure, "structure");
    }

    /** An unstructured mask's shape. */
    public LayerShape(int outputs, int inputs, int rows, boolean inputGradient,
            org.prune4j.backend.ActivationLayout layout) {
        this(outputs, inputs, rows, inputGradient, layout, MaskStructure.NONE);
    }

    public LayerShape withStructure(MaskStructure s) {
        return new LayerShape(outputs, inputs, rows, inputGradient, layout, s);
    }

    public BlockShape blocks() {
        return structure.blocks();
    }

    @Override
    public String toString() {
        return outputs + "x" + inputs + " on " + rows + (layout == org.prune4j.backend.ActivationLayout.BATCH_MAJOR
                ? " rows" : " columns") + (inputGradient ? "" : " (no input gradient)")
                + (structure.twoFour() ? ", 2:4 mask" : structure.isStructured() ? ", mask in " + structure + " blocks"
                : "");
    }
}
