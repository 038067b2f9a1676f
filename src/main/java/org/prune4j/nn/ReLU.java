package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

public final class ReLU implements Layer {
    private Tensor x;
    private Pass pass;

    @Override
    public Tensor forward(Tensor input, Pass p) {
        x = input;
        pass = p;
        Tensor y = p.buffer(this, "y", input.shape());
        p.backend().relu(flat(input), flat(y));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor dx = pass.buffer(this, "dx", dy.shape());
        pass.backend().reluBackward(flat(x), flat(dy), flat(dx));
        return dx;
    }

    private static Tensor flat(Tensor t) {
        return t.reshape(1, t.size());
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String describe() {
        return "ReLU";
    }
}
