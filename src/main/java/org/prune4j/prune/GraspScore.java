package org.prune4j.prune;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;

/**
 * GraSP (Wang et al. 2020): removing w changes the gradient norm by about {@code -w * (Hg)};
 * GraSP removes the weights where that is largest, so the keep-score is {@code w * (Hg)}.
 * g is the mean gradient; Hg is a central difference of gradients along g, per batch, averaged.
 * Both are taken of the cross-entropy of the logits divided by {@code temperature}, 200 by
 * default as in the authors' implementation: at 1 a network's confident outputs saturate the
 * softmax, g and Hg shrink towards zero, and the scores degrade towards noise.
 */
public record GraspScore(double step, double temperature) implements Scorer {
    /** The temperature of the official implementation (Wang et al. 2020, their code's {@code T}). */
    public static final double DEFAULT_TEMPERATURE = 200;

    public GraspScore {
        if (!(step > 0)) {
            throw new IllegalArgumentException("GraSP needs a positive finite-difference step");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("GraSP's softmax temperature must be positive and finite, got "
                    + temperature);
        }
    }

    public GraspScore() {
        this(1e-3, DEFAULT_TEMPERATURE);
    }

    @Override
    public String name() {
        return "grasp";
    }

    /** H g averaged over the scoring batches. */
    public Map<Parameter, float[]> hessianGradient(ScoringContext ctx) {
        Gradients grads = new Gradients(ctx, temperature);
        Map<Parameter, float[]> g = grads.mean();
        double max = 0;
        for (float[] a : g.values()) {
            for (float x : a) {
                max = Math.max(max, Math.abs(x));
            }
        }
        // Scale the direction so no weight moves by more than `step`: finite differences want
        // a small, not a gradient-sized, perturbation.
        double h = max == 0 ? step : step / max;
        Map<Parameter, float[]> hg = new IdentityHashMap<>();
        for (int b = 0; b < grads.batchCount(); b++) {
            grads.hessianTimes(g, h, b).forEach((p, a) -> {
                float[] acc = hg.computeIfAbsent(p, q -> new float[a.length]);
                for (int i = 0; i < a.length; i++) {
                    acc[i] += a[i] / grads.batchCount();
                }
            });
        }
        return hg;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        Map<Parameter, float[]> hg = hessianGradient(ctx);
        Map<Parameter, float[]> out = new LinkedHashMap<>();
        for (Parameter p : ctx.model().prunable()) {
            float[] w = p.value().data(), a = hg.get(p), s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = w[i] * a[i];
            }
            out.put(p, s);
        }
        return out;
    }
}
