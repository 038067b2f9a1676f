package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * Every layer loses the same fraction of its live weights, except the output layer, which
 * loses {@code outputRateScale} times that fraction, and convolutions, which lose
 * {@code convRateScale} times it: Frankle & Carbin prune LeNet's hidden layers at 20% per round
 * and its output layer at 10%, a scale of 0.5, and Conv-2/4's convolutions at 10% (Conv-6's at
 * 15%) beside 20% for their fully connected layers.
 */
public record LayerwiseScope(double outputRateScale, double convRateScale) implements Scope {

    public LayerwiseScope {
        if (!(outputRateScale >= 0 && outputRateScale <= 1)) {
            throw new IllegalArgumentException("output rate scale must be in [0, 1], got " + outputRateScale);
        }
        if (!(convRateScale >= 0 && convRateScale <= 1)) {
            throw new IllegalArgumentException("convolution rate scale must be in [0, 1], got " + convRateScale);
        }
    }

    public LayerwiseScope(double outputRateScale) {
        this(outputRateScale, 1);
    }

    @Override
    public String name() {
        String out = outputRateScale == 1 ? "" : "output x" + outputRateScale;
        String conv = convRateScale == 1 ? "" : "conv x" + convRateScale;
        return out.isEmpty() && conv.isEmpty() ? "layerwise"
                : "layerwise(" + out + (out.isEmpty() || conv.isEmpty() ? "" : ", ") + conv + ")";
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep) {
        Scopes.checkKeep(keep);
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (Scored s : layers) {
            double k = s.output() ? 1 - (1 - keep) * outputRateScale
                    : s.conv() ? 1 - (1 - keep) * convRateScale : keep;
            Parameter p = s.weight();
            int target = (int) Math.round(p.alive() * k);
            out.put(p, Mask.of(p.value().rows(), p.value().cols(), TopK.keep(s.scores(), TopK.alive(p), target)));
        }
        return out;
    }
}
