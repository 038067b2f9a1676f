package org.prune4j.nn;

/**
 * The products of one weighted layer in a training step: a weight of {@code outputs x inputs}
 * applied to {@code rows} input rows (the batch for a Linear layer, batch x output pixels for a
 * convolution's im2col matrix), and whether the step needs its input gradient (not for the
 * first layer). What a whole-step kernel calibration is keyed by.
 */
public record LayerShape(int outputs, int inputs, int rows, boolean inputGradient) {
    public LayerShape {
        if (outputs <= 0 || inputs <= 0 || rows <= 0) {
            throw new IllegalArgumentException("a layer shape needs positive sizes, got " + outputs + "x" + inputs
                    + " on " + rows + " rows");
        }
    }

    @Override
    public String toString() {
        return outputs + "x" + inputs + " on " + rows + " rows" + (inputGradient ? "" : " (no input gradient)");
    }
}
