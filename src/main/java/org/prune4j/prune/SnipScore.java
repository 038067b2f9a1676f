package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;

/** SNIP (Lee et al. 2019): connection sensitivity |g * w| from the mean loss gradient at initialisation. */
public record SnipScore() implements Scorer {
    @Override
    public String name() {
        return "snip";
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        Map<Parameter, float[]> g = new Gradients(ctx).mean();
        Map<Parameter, float[]> out = new LinkedHashMap<>();
        for (Parameter p : ctx.model().prunable()) {
            float[] w = p.value().data(), gp = g.get(p), s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = Math.abs(gp[i] * w[i]);
            }
            out.put(p, s);
        }
        return out;
    }
}
