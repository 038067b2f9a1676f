package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * Han et al. 2015 ("Learning both weights and connections"): each layer prunes its live
 * weights whose score is below {@code quality} times the standard deviation of that layer's
 * live weights. With magnitude scores that is their rule, |w| < quality x std(w). The threshold,
 * not a target, sets how much goes: the {@code keep} fraction of a schedule is not used, and
 * each round re-measures the standard deviation of what is left, so iterating prunes further.
 * A layer always keeps its largest-scoring weight, so no layer is cut off.
 */
public record HanThresholdScope(double quality) implements Scope {

    public HanThresholdScope {
        if (!(quality > 0) || Double.isInfinite(quality)) {
            throw new IllegalArgumentException("--han-quality must be positive and finite (the paper's LeNets: about "
                    + "0.7-1.0), got " + quality);
        }
    }

    @Override
    public String name() {
        return "han(quality " + quality + ")";
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep) {
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (Scored s : layers) {
            Parameter p = s.weight();
            boolean[] alive = TopK.alive(p);
            float[] w = p.value().data();
            double sum = 0, sq = 0;
            int n = 0;
            for (int i = 0; i < w.length; i++) {
                if (alive[i]) {
                    sum += w[i];
                    sq += (double) w[i] * w[i];
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double threshold = quality * Math.sqrt(Math.max(0, n == 0 ? 0 : sq / n - mean * mean));
            float[] sc = s.scores();
            boolean[] kept = new boolean[w.length];
            int count = 0, best = -1;
            for (int i = 0; i < w.length; i++) {
                if (alive[i]) {
                    kept[i] = sc[i] >= threshold;
                    count += kept[i] ? 1 : 0;
                    if (best < 0 || sc[i] > sc[best]) {
                        best = i;
                    }
                }
            }
            if (count == 0 && best >= 0) {
                kept[best] = true;
            }
            out.put(p, Mask.of(p.value().rows(), p.value().cols(), kept));
        }
        return out;
    }
}
