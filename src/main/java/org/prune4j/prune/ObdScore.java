package org.prune4j.prune;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.tensor.Rng;

/**
 * Optimal Brain Damage (LeCun et al. 1990): saliency {@code h_ii w_i^2 / 2}, the loss increase
 * a quadratic model predicts for deleting w_i at a minimum. The Hessian diagonal is estimated
 * with Hutchinson's method, {@code E[v * Hv]} over Rademacher vectors v, each Hv a central
 * difference of two gradients on one batch.
 */
public record ObdScore(int probesPerBatch, double step) implements Scorer {

    public ObdScore {
        if (probesPerBatch <= 0 || !(step > 0)) {
            throw new IllegalArgumentException("OBD needs at least one probe per batch and a positive step");
        }
    }

    public ObdScore() {
        this(4, 1e-3);
    }

    @Override
    public String name() {
        return "obd";
    }

    /** The Hessian-diagonal estimate alone, for inspection and tests. */
    public Map<Parameter, float[]> hessianDiagonal(ScoringContext ctx) {
        Gradients grads = new Gradients(ctx);
        Rng rng = ctx.rng().split(0x0bd);
        Map<Parameter, float[]> diag = new IdentityHashMap<>();
        int probes = grads.batchCount() * probesPerBatch;
        for (int s = 0; s < probes; s++) {
            Map<Parameter, float[]> v = new IdentityHashMap<>();
            for (Parameter p : ctx.model().prunable()) {
                float[] d = new float[p.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = rng.nextBoolean(0.5) ? 1f : -1f;
                }
                p.applyMask(d);
                v.put(p, d);
            }
            Map<Parameter, float[]> hv = grads.hessianTimes(v, step, s % grads.batchCount());
            hv.forEach((p, a) -> {
                float[] acc = diag.computeIfAbsent(p, q -> new float[a.length]);
                float[] vp = v.get(p);
                for (int i = 0; i < a.length; i++) {
                    acc[i] += vp[i] * a[i] / probes;
                }
            });
        }
        return diag;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        return saliency(ctx, hessianDiagonal(ctx));
    }

    /** OBD's saliency {@code h w^2 / 2} of every prunable weight, from a Hessian diagonal {@code h}. */
    static Map<Parameter, float[]> saliency(ScoringContext ctx, Map<Parameter, float[]> h) {
        Map<Parameter, float[]> out = new LinkedHashMap<>();
        for (Parameter p : ctx.model().prunable()) {
            float[] w = p.value().data(), hp = h.get(p), s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = 0.5f * hp[i] * w[i] * w[i];
            }
            out.put(p, s);
        }
        return out;
    }
}
