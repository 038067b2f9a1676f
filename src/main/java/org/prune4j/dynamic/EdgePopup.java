package org.prune4j.dynamic;

import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.prune.TopK;
import org.prune4j.tensor.Rng;

/**
 * Edge-popup (Ramanujan et al., "What's Hidden in a Randomly Weighted Neural Network?", CVPR
 * 2020): every layer uses the connections whose scores have the largest magnitude, the same
 * fraction {@code density} in each layer; the scores get the straight-through gradient
 * {@code sign(s) * g * w0}: the top-k selection passes the gradient through unchanged, the
 * magnitude it ranks by contributes its sign (so a connection whose use lowers the loss moves
 * its score away from zero, whichever side it is on). The weights are fixed at a
 * signed Kaiming constant, {@code sign(w) * sqrt(2 / fanIn)}, divided by {@code sqrt(density)}
 * with {@code scaleFan} (the paper's scaled variant, which keeps a layer's output variance as
 * the kept fraction shrinks). Scores start Kaiming-uniform in {@code +-1/sqrt(fanIn)}.
 */
public final class EdgePopup extends MaskLearner {
    private final long[] keep;

    public EdgePopup(Model model, double density, boolean scaleFan, Optimizer optimizer, LearningRate lr, Rng rng) {
        super(signedKaiming(model, density, scaleFan), optimizer, lr, w -> kaimingUniform(w, rng));
        keep = Allocation.UNIFORM.counts(weights, density);
        start();
    }

    /** Sets every weight of {@code model} to its signed Kaiming constant; returns the model. */
    static Model signedKaiming(Model model, double density, boolean scaleFan) {
        for (Parameter w : model.prunable()) {
            double c = Math.sqrt(2.0 / w.fanIn()) / (scaleFan ? Math.sqrt(density) : 1);
            float[] v = w.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] > 0 ? (float) c : v[i] < 0 ? (float) -c : 0f;
            }
        }
        return model;
    }

    static float[] kaimingUniform(Parameter w, Rng rng) {
        Rng r = rng.split(w.name().hashCode());
        float bound = (float) (1 / Math.sqrt(w.fanIn()));
        float[] s = new float[w.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.uniform(-bound, bound);
        }
        return s;
    }

    @Override
    protected boolean[] trainingMask(int l) {
        float[] s = scores(l);
        float[] magnitude = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            magnitude[i] = Math.abs(s[i]);
        }
        return TopK.keep(magnitude, (int) keep[l]);
    }

    @Override
    protected void scoreGradient(int l, float[] g, float[] out) {
        float[] w0 = fixed.get(l), s = scores(l);
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.signum(s[i]) * g[i] * w0[i];
        }
    }
}
