package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/** batch x (anything) to batch x features; shares the data. */
public final class Flatten implements Layer {
    private int[] inShape;

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        inShape = x.shape();
        return x.reshape(inShape[0], x.size() / Math.max(inShape[0], 1));
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        return dy.reshape(inShape);
    }

    @Override
    public int[] outputShape(int[] s) {
        int f = 1;
        for (int d : s) {
            f *= d;
        }
        return new int[] {f};
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
