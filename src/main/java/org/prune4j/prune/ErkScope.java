package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * Erdős–Rényi-Kernel allocation (Evci et al., RigL): a layer's density is proportional to
 * (sum of its dimensions) / (product of its dimensions), counting a conv's kernel height and
 * width, scaled so the model keeps the requested fraction overall. No layer grows back, so a
 * layer whose allocation exceeds what it has left keeps everything it has and the rest is
 * shared out again.
 */
public record ErkScope() implements Scope {

    @Override
    public String name() {
        return "erk";
    }

    /** The ERK factor of a weight stored as out x (in * k * k) with the given fans. */
    public static double factor(Parameter p) {
        double out = p.value().rows();
        double kk = p.fanOut() / out;
        double in = p.value().cols() / kk;
        double k = Math.sqrt(kk);
        return kk == 1 ? (in + out) / (in * out) : (in + out + 2 * k) / (in * out * kk);
    }

    /** Weights each layer keeps for a model-wide target of {@code targetAlive} weights. */
    static long[] allocate(List<Parameter> layers, long targetAlive) {
        return allocate(layers, targetAlive, ErkScope::factor);
    }

    /**
     * Weights each layer keeps when a layer's density is proportional to {@code factor}: ERK's,
     * or Erdős–Rényi's without the kernel terms (Mocanu et al., SET).
     */
    public static long[] allocate(List<Parameter> layers, long targetAlive,
            java.util.function.ToDoubleFunction<Parameter> factor) {
        int n = layers.size();
        long[] keep = new long[n];
        boolean[] capped = new boolean[n];
        while (true) {
            long budget = targetAlive;
            double raw = 0;
            for (int l = 0; l < n; l++) {
                if (capped[l]) {
                    budget -= layers.get(l).alive();
                } else {
                    raw += factor.applyAsDouble(layers.get(l)) * layers.get(l).size();
                }
            }
            double eps = raw == 0 ? 0 : budget / raw;
            boolean changed = false;
            for (int l = 0; l < n; l++) {
                Parameter p = layers.get(l);
                if (!capped[l] && eps * factor.applyAsDouble(p) * p.size() > p.alive()) {
                    capped[l] = true;
                    changed = true;
                }
            }
            if (!changed) {
                for (int l = 0; l < n; l++) {
                    Parameter p = layers.get(l);
                    keep[l] = capped[l] ? p.alive() : Math.round(eps * factor.applyAsDouble(p) * p.size());
                }
                return keep;
            }
        }
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keepFraction) {
        Scopes.checkKeep(keepFraction);
        List<Parameter> ps = layers.stream().map(Scored::weight).toList();
        long alive = ps.stream().mapToLong(Parameter::alive).sum();
        long[] keep = allocate(ps, Math.round(alive * keepFraction));
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Parameter p = ps.get(l);
            out.put(p, Mask.of(p.value().rows(), p.value().cols(),
                    TopK.keep(layers.get(l).scores(), TopK.alive(p), (int) keep[l])));
        }
        return out;
    }
}
