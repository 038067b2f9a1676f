package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/** Fully connected layer {@code y = x W^T + b}, W stored outputs x inputs. */
public final class Linear extends AffineLayer {
    private final int in;
    private final int out;
    private Tensor x;
    private Pass pass;

    public Linear(String name, int in, int out) {
        super(name, checked(name, in, out), in, in, out, org.prune4j.backend.ActivationLayout.BATCH_MAJOR);
        this.in = in;
        this.out = out;
    }

    private static int checked(String name, int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": Linear sizes must be positive, got " + in + " -> " + out);
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor input, Pass p) {
        if (!input.isMatrix() || input.cols() != in) {
            throw new IllegalArgumentException(weight.name() + " expects batch x " + in + " input, got "
                    + input.shapeString());
        }
        x = input;
        pass = p;
        return affine(input, p);
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        return affineBackward(dy, x, pass, inputGradient);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new IllegalArgumentException(weight.name() + " expects " + in + " features, got "
                    + java.util.Arrays.toString(inputShape) + "; put a Flatten before it");
        }
        return new int[] {out};
    }

    @Override
    public String describe() {
        return "Linear(" + in + " -> " + out + ")";
    }
}
