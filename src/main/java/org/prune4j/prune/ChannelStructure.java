package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * Whole output channels: a Linear layer's neurons or a Conv2d layer's filters, the rows of the
 * stored weight, in every layer but the output layer (its neurons are the classes). A removed
 * channel's inputs to the next layer are masked as well: its bias and BatchNorm shift would
 * otherwise still feed the next layer. The next layer must read the channels in order, each
 * through the same number of consecutive inputs: 1 for a Linear after a Linear, k x k for a
 * Conv2d, height x width after a flatten; the built-in models all do.
 *
 * <p>The scope's fraction applies to the channels' own weights; the masked inputs of the next
 * layer come on top, so a channel-pruned network is sparser than the fraction asked for. The
 * results record the density reached.
 */
public record ChannelStructure() implements Structure {

    @Override
    public String name() {
        return "channels";
    }

    private static GroupSelection.Grouping rowsOf(Parameter p) {
        int r = p.value().rows(), c = p.value().cols();
        int[] groupOf = new int[r * c];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = i / c;
        }
        return new GroupSelection.Grouping(groupOf, r);
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep, Scope scope) {
        List<Scored> hidden = layers.stream().filter(s -> !s.output()).toList();
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("channel pruning needs a layer before the output layer, whose "
                    + "channels are the classes; this model has none");
        }
        Map<Parameter, Mask> rows = GroupSelection.select(hidden, hidden.stream().map(s -> rowsOf(s.weight()))
                .toList(), keep, scope, name());
        List<Parameter> all = layers.stream().map(Scored::weight).toList();
        Map<Parameter, boolean[]> kept = new LinkedHashMap<>();
        for (Parameter p : all) {
            kept.put(p, rows.containsKey(p) ? rows.get(p).toArray() : TopK.alive(p));
        }
        return connect(all, kept);
    }

    @Override
    public Map<Parameter, Mask> randomLike(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng) {
        Map<Parameter, boolean[]> kept = new LinkedHashMap<>();
        int i = 0;
        for (int l = 0; l < layers.size(); l++) {
            Parameter p = layers.get(l);
            Mask m = masks.get(p);
            if (m == null) {
                kept.put(p, TopK.alive(p));
            } else if (l == layers.size() - 1) {
                // the classes stay; which of their inputs live follows from the layer before
                kept.put(p, allOf(p));
            } else {
                kept.put(p, GroupSelection.randomGroups(rowsOf(p), m, rng.split(++i)));
            }
        }
        return connect(layers, kept);
    }

    private static boolean[] allOf(Parameter p) {
        boolean[] a = new boolean[p.size()];
        java.util.Arrays.fill(a, true);
        return a;
    }

    /** Masks the inputs of each layer that come from a channel the layer before has lost. */
    private static Map<Parameter, Mask> connect(List<Parameter> layers, Map<Parameter, boolean[]> kept) {
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        boolean[] previousLive = null;
        Parameter previous = null;
        for (Parameter p : layers) {
            int rows = p.value().rows(), cols = p.value().cols();
            boolean[] k = kept.get(p);
            if (previous != null) {
                int channels = previous.value().rows();
                if (cols % channels != 0) {
                    throw new IllegalArgumentException("channel pruning: " + p.name() + " has " + cols
                            + " inputs, not a whole number per channel of the " + channels + " channels of "
                            + previous.name() + "; it needs layers that read the previous layer's channels in order "
                            + "(no residual connections)");
                }
                int per = cols / channels;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        k[i * cols + j] &= previousLive[j / per];
                    }
                }
            }
            previousLive = new boolean[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    previousLive[i] |= k[i * cols + j];
                }
            }
            previous = p;
            out.put(p, Mask.of(rows, cols, k));
        }
        return out;
    }
}
