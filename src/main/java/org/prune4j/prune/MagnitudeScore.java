package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.Parameter;

/** |w|: Han et al.'s criterion and the lottery ticket's. */
public record MagnitudeScore() implements Scorer {
    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        Map<Parameter, float[]> out = new LinkedHashMap<>();
        for (Parameter p : ctx.model().prunable()) {
            float[] w = p.value().data(), s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = Math.abs(w[i]);
            }
            out.put(p, s);
        }
        return out;
    }
}
