package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/** Inverted dropout: in training each unit is zeroed with probability p and the rest scaled by 1/(1-p). */
public final class Dropout implements Layer {
    private final double p;
    private float[] keepScale;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        if (!pass.training() || p == 0) {
            keepScale = null;
            return x;
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        keepScale = new float[in.length];
        float scale = (float) (1 / (1 - p));
        for (int i = 0; i < in.length; i++) {
            if (pass.rng().nextFloat() >= p) {
                keepScale[i] = scale;
                out[i] = in[i] * scale;
            }
        }
        return Tensor.wrap(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (keepScale == null) {
            return dy;
        }
        float[] g = dy.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * keepScale[i];
        }
        return Tensor.wrap(dx, dy.shape());
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }
}
