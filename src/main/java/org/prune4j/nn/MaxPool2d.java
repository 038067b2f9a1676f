package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/**
 * Max pooling with a square window and stride equal to it; a partial last window is dropped.
 * The backward pass routes each gradient to the first maximum of its window, found again from
 * the saved input rather than stored as indices.
 */
public final class MaxPool2d implements Layer {
    private final int size;
    private Tensor x;
    private Pass pass;

    public MaxPool2d(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("pool size must be positive, got " + size);
        }
        this.size = size;
    }

    @Override
    public Tensor forward(Tensor input, Pass p) {
        int[] s = input.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("MaxPool2d expects batch x C x H x W, got " + input.shapeString());
        }
        int oh = s[2] / size, ow = s[3] / size;
        if (oh == 0 || ow == 0) {
            throw new IllegalArgumentException("a " + size + "x" + size + " pool does not fit a " + s[2] + "x" + s[3]
                    + " input");
        }
        x = input;
        pass = p;
        Tensor y = p.buffer(this, "y", s[0], s[1], oh, ow);
        p.backend().maxPool(input, size, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor dx = pass.buffer(this, "dx", x.shape());
        pass.backend().maxPoolBackward(x, dy, size, dx);
        return dx;
    }

    /** Window side and stride. */
    public int size() {
        return size;
    }

    @Override
    public int[] outputShape(int[] s) {
        return new int[] {s[0], s[1] / size, s[2] / size};
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + size + ")";
    }
}
