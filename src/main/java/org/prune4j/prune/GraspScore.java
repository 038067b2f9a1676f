package org.prune4j.prune;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;

/**
 * GraSP (Wang et al. 2020): removing w changes the gradient norm by about {@code -w * (Hg)};
 * GraSP removes the weights where that is largest, so the keep-score is {@code w * (Hg)}.
 * g is the mean gradient; Hg is a central difference of gradients along g, per batch, averaged.
 */
public record GraspScore(double step) implements Scorer {

    public GraspScore {
        if (!(step > 0)) {
            throw new IllegalArgumentException("GraSP needs a positive finite-difference step");
        }
    }

    public GraspScore() {
        this(1e-3);
    }

    @Override
    public String name() {
        return "grasp";
    }

    /** H g averaged over the scoring batches. */
    public Map<Parameter, float[]> hessianGradient(ScoringContext ctx) {
        Gradients grads = new Gradients(ctx);
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
