package org.prune4j.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * Pruning in whole groups through any scope: every live weight takes its group's mean score,
 * the scope picks how many weights each layer keeps from those scores (so a global scope ranks
 * groups across layers), and each layer then keeps its best whole groups up to the nearest
 * match of that count.
 */
final class GroupSelection {
    private GroupSelection() {
    }

    /** The group of every weight of one layer, numbered 0 .. groups-1. */
    record Grouping(int[] groupOf, int groups) {
    }

    static Map<Parameter, Mask> select(List<Scored> layers, List<Grouping> groupings, double keep, Scope scope,
            String structure) {
        List<Scored> expanded = new ArrayList<>();
        List<float[]> means = new ArrayList<>();
        List<int[]> live = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Scored s = layers.get(l);
            Grouping g = groupings.get(l);
            boolean[] alive = TopK.alive(s.weight());
            double[] sum = new double[g.groups()];
            int[] count = new int[g.groups()];
            for (int i = 0; i < alive.length; i++) {
                if (alive[i]) {
                    sum[g.groupOf()[i]] += s.scores()[i];
                    count[g.groupOf()[i]]++;
                }
            }
            float[] mean = new float[g.groups()];
            for (int k = 0; k < mean.length; k++) {
                mean[k] = count[k] == 0 ? 0f : (float) (sum[k] / count[k]);
            }
            float[] e = new float[alive.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = mean[g.groupOf()[i]];
            }
            expanded.add(new Scored(s.weight(), e, s.output(), s.conv()));
            means.add(mean);
            live.add(count);
        }
        Map<Parameter, Mask> allocated = scope.select(expanded, keep);
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Parameter p = layers.get(l).weight();
            int target = allocated.get(p).keptCount();
            boolean[] chosen = best(means.get(l), live.get(l), target);
            if (p.alive() > 0 && !any(chosen)) {
                throw new IllegalArgumentException(structure + " pruning at this sparsity leaves " + p.name()
                        + " without a single group, which would cut the network; lower the sparsity, use smaller "
                        + "groups, or a layerwise scope (with --output-rate-scale for the output layer)");
            }
            out.put(p, Mask.of(p.value().rows(), p.value().cols(), members(groupings.get(l), chosen,
                    TopK.alive(p))));
        }
        return out;
    }

    /**
     * The best live groups, by mean score then lower index, taken while the running count of
     * live weights stays nearest to {@code target}.
     */
    static boolean[] best(float[] mean, int[] live, int target) {
        long[] keys = new long[mean.length];
        int n = 0;
        for (int g = 0; g < mean.length; g++) {
            if (live[g] > 0) {
                keys[n++] = TopK.key(mean[g], g);
            }
        }
        Arrays.sort(keys, 0, n);
        boolean[] chosen = new boolean[mean.length];
        long taken = 0;
        for (int i = 0; i < n; i++) {
            int g = TopK.position(keys[i]);
            if (2 * (taken + live[g]) > 2L * target + live[g]) {
                break;
            }
            chosen[g] = true;
            taken += live[g];
        }
        return chosen;
    }

    /** Live weights of the chosen groups. */
    static boolean[] members(Grouping g, boolean[] chosen, boolean[] alive) {
        boolean[] kept = new boolean[alive.length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = alive[i] && chosen[g.groupOf()[i]];
        }
        return kept;
    }

    /** Random whole groups holding as near as they can the number of weights {@code mask} keeps. */
    static boolean[] randomGroups(Grouping g, Mask mask, Rng rng) {
        int[] size = new int[g.groups()];
        for (int group : g.groupOf()) {
            size[group]++;
        }
        float[] order = new float[g.groups()];
        for (int k = 0; k < order.length; k++) {
            order[k] = rng.nextFloat();
        }
        boolean[] all = new boolean[g.groupOf().length];
        Arrays.fill(all, true);
        return members(g, best(order, size, mask.keptCount()), all);
    }

    private static boolean any(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }
}
