package org.prune4j.nn;

import org.prune4j.tensor.Rng;

/** How a weight is drawn at initialisation; biases and BatchNorm start at 0 and 1. */
public enum Initialiser {
    /** Normal with std sqrt(2 / (fanIn + fanOut)): Glorot & Bengio, as in Frankle & Carbin. */
    GLOROT_NORMAL,
    /** Normal with std sqrt(2 / fanIn): He et al., for deep ReLU networks. */
    KAIMING_NORMAL;

    public double std(int fanIn, int fanOut) {
        return switch (this) {
            case GLOROT_NORMAL -> Math.sqrt(2.0 / (fanIn + fanOut));
            case KAIMING_NORMAL -> Math.sqrt(2.0 / fanIn);
        };
    }

    public void fill(Parameter p, Rng rng) {
        float[] d = p.value().data();
        double std = std(p.fanIn(), p.fanOut());
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextGaussian() * std);
        }
        p.applyMask(d);
    }
}
