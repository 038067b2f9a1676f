package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;

/** Uniform random scores: random pruning, the control every method must beat. */
public record RandomScore() implements Scorer {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        Map<Parameter, float[]> out = new LinkedHashMap<>();
        int i = 0;
        for (Parameter p : ctx.model().prunable()) {
            var r = ctx.rng().split(++i);
            float[] s = new float[p.size()];
            for (int j = 0; j < s.length; j++) {
                s[j] = r.nextFloat();
            }
            out.put(p, s);
        }
        return out;
    }
}
