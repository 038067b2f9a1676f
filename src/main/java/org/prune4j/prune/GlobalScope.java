package org.prune4j.prune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * One ranking across all layers: the best {@code keep} fraction of all live weights survive.
 * With {@code outputDense} the output layer stays out of the ranking and keeps its weights, as
 * OpenLTH's sparse_global pruning of its CIFAR ResNets leaves fc.weight alone.
 */
public record GlobalScope(boolean outputDense) implements Scope {

    /** Every layer ranked, the output layer included. */
    public GlobalScope() {
        this(false);
    }

    @Override
    public String name() {
        return outputDense ? "global(output dense)" : "global";
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> all, double keep) {
        Scopes.checkKeep(keep);
        List<Scored> layers = outputDense ? all.stream().filter(s -> !s.output()).toList() : all;
        int total = 0;
        for (Scored s : layers) {
            total = Math.addExact(total, s.weight().size());
        }
        long[] keys = new long[total];
        int n = 0, offset = 0;
        int[] offsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            Scored s = layers.get(l);
            boolean[] alive = TopK.alive(s.weight());
            for (int i = 0; i < alive.length; i++) {
                if (alive[i]) {
                    TopK.checkScore(s.scores()[i], s.weight().name(), i);
                    keys[n++] = TopK.key(s.scores()[i], offset + i);
                }
            }
            offsets[l] = offset;
            offset += alive.length;
        }
        offsets[layers.size()] = offset;
        Arrays.sort(keys, 0, n);
        int target = (int) Math.round(n * keep);
        boolean[] kept = new boolean[total];
        for (int i = 0; i < target; i++) {
            kept[TopK.position(keys[i])] = true;
        }
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Parameter p = layers.get(l).weight();
            out.put(p, Mask.of(p.value().rows(), p.value().cols(),
                    Arrays.copyOfRange(kept, offsets[l], offsets[l + 1])));
        }
        for (Scored s : all) {
            if (!out.containsKey(s.weight())) {
                Parameter p = s.weight();
                out.put(p, Mask.of(p.value().rows(), p.value().cols(), TopK.alive(p)));
            }
        }
        return out;
    }
}
