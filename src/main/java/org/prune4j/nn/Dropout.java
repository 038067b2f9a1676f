package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/**
 * Inverted dropout: in training each unit is zeroed with probability p and the rest scaled by
 * 1/(1-p). The mask is a pure function of a seed drawn from the pass's random stream and the
 * unit's index ({@link org.prune4j.backend.DropoutHash}), so every backend draws the same one
 * and the backward pass recomputes it.
 */
public final class Dropout implements Layer {
    private final double p;
    private long seed;
    private boolean active;
    private Pass pass;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    /** The probability of dropping an activation. */
    public double rate() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x, Pass ps) {
        pass = ps;
        active = ps.training() && p > 0;
        if (!active) {
            return x;
        }
        seed = ps.rng().nextLong();
        Tensor y = ps.buffer(this, "y", x.shape());
        ps.backend().dropout(x, (float) p, seed, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        if (!active) {
            return dy;
        }
        Tensor dx = pass.buffer(this, "dx", dy.shape());
        pass.backend().dropoutBackward(dy, (float) p, seed, dx);
        return dx;
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
