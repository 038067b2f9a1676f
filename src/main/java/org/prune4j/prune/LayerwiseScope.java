package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * Every layer loses the same fraction of its live weights, except the output layer, which
 * loses {@code outputRateScale} times that fraction: Frankle & Carbin prune LeNet's hidden
 * layers at 20% per round and its output layer at 10%, a scale of 0.5.
 */
public record LayerwiseScope(double outputRateScale) implements Scope {

    public LayerwiseScope {
        if (!(outputRateScale >= 0 && outputRateScale <= 1)) {
            throw new IllegalArgumentException("output rate scale must be in [0, 1], got " + outputRateScale);
        }
    }

    @Override
    public String name() {
        return outputRateScale == 1 ? "layerwise" : "layerwise(output x" + outputRateScale + ")";
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep) {
        Scopes.checkKeep(keep);
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (Scored s : layers) {
            double k = s.output() ? 1 - (1 - keep) * outputRateScale : keep;
            Parameter p = s.weight();
            int target = (int) Math.round(p.alive() * k);
            out.put(p, Mask.of(p.value().rows(), p.value().cols(), TopK.keep(s.scores(), TopK.alive(p), target)));
        }
        return out;
    }
}
