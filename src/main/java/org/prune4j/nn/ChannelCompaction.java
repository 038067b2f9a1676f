package org.prune4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prune4j.sparse.Mask;

/**
 * A masked model with its dead channels removed for real: a smaller dense network that computes
 * the same outputs. A channel (a Linear neuron, a Conv2d filter) is dead when the next weighted
 * layer masks every input it reads from it; its BatchNorm entries and the next layer's columns
 * go with it. The output layer keeps its classes. The compact model trains and runs as an
 * ordinary model; {@link #copyBackInto} writes what it learned back into the full model, so
 * checkpoints, rewinding and the next pruning round keep the full shapes.
 *
 * <p>Works on the sequential models built here (Linear, Conv2d, BatchNorm, ReLU, MaxPool2d,
 * Dropout, Flatten); any other layer is refused by name.
 */
public final class ChannelCompaction {
    private final Model full;
    private final Model compact;
    /** For each parameter of the compact model, the flat index in the full parameter of each entry. */
    private final Map<String, int[]> source;
    private final List<String> changes;
    private final long fullMacs;
    private final long compactMacs;

    private ChannelCompaction(Model full, Model compact, Map<String, int[]> source, List<String> changes,
            long fullMacs, long compactMacs) {
        this.full = full;
        this.compact = compact;
        this.source = source;
        this.changes = List.copyOf(changes);
        this.fullMacs = fullMacs;
        this.compactMacs = compactMacs;
    }

    /** Removes every dead channel of {@code model}; the compact model holds the model's current values and masks. */
    public static ChannelCompaction of(Model model) {
        List<WeightedLayer> weighted = model.weightedLayers();
        Map<WeightedLayer, int[]> liveOut = new LinkedHashMap<>();
        for (int l = 0; l + 1 < weighted.size(); l++) {
            liveOut.put(weighted.get(l), readChannels(weighted.get(l), weighted.get(l + 1)));
        }
        Map<String, int[]> source = new LinkedHashMap<>();
        List<Layer> layers = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        int[] shape = model.inputShape();
        int[] live = range(shape[0]);
        long fullMacs = 0, compactMacs = 0;
        for (Layer layer : model.layers()) {
            int[] out = layer.outputShape(shape);
            switch (layer) {
                case Linear lin -> {
                    int[] rows = liveOut.getOrDefault(lin, range(lin.weight().value().rows()));
                    int in = lin.weight().value().cols();
                    Linear c = new Linear(name(lin), live.length, rows.length);
                    source.put(c.weight().name(), cross(rows, live, in));
                    source.put(name(lin) + ".bias", rows);
                    fullMacs += lin.weight().size();
                    compactMacs += c.weight().size();
                    change(changes, name(lin), "neurons", lin.weight().value().rows(), rows.length);
                    layers.add(c);
                    live = rows;
                }
                case Conv2d conv -> {
                    int k = conv.kernel(), kk = k * k;
                    int[] rows = liveOut.getOrDefault(conv, range(conv.weight().value().rows()));
                    int[] cols = new int[live.length * kk];
                    for (int c = 0; c < live.length; c++) {
                        for (int t = 0; t < kk; t++) {
                            cols[c * kk + t] = live[c] * kk + t;
                        }
                    }
                    Conv2d c = new Conv2d(name(conv), live.length, rows.length, k, conv.padding(), conv.stride(),
                            conv.bias().isPresent());
                    source.put(c.weight().name(), cross(rows, cols, conv.weight().value().cols()));
                    if (conv.bias().isPresent()) {
                        source.put(name(conv) + ".bias", rows);
                    }
                    int positions = conv.positions(shape);
                    fullMacs += (long) conv.weight().size() * positions;
                    compactMacs += (long) c.weight().size() * positions;
                    change(changes, name(conv), "filters", conv.weight().value().rows(), rows.length);
                    layers.add(c);
                    live = rows;
                }
                case BatchNorm bn -> {
                    BatchNorm c = new BatchNorm(bn.name(), live.length);
                    for (Parameter q : c.parameters()) {
                        source.put(q.name(), live);
                    }
                    layers.add(c);
                }
                case Flatten f -> {
                    int plane = 1;
                    for (int d = 1; d < shape.length; d++) {
                        plane *= shape[d];
                    }
                    live = cross(live, range(plane), plane);
                    layers.add(new Flatten());
                }
                case ReLU r -> layers.add(new ReLU());
                case MaxPool2d m -> layers.add(new MaxPool2d(m.size()));
                case GlobalAvgPool g -> layers.add(new GlobalAvgPool());
                case Dropout d -> layers.add(new Dropout(d.rate()));
                default -> throw new IllegalArgumentException("cannot remove channels through the layer "
                        + layer.describe() + "; channel compaction knows Linear, Conv2d, BatchNorm, ReLU, MaxPool2d, "
                        + "GlobalAvgPool, Dropout and Flatten (not residual blocks, whose sum ties channels together)");
            }
            shape = out;
        }
        Model compact = new Model(model.name(), model.inputShape(), layers, model.initialiser());
        ChannelCompaction cc = new ChannelCompaction(model, compact, source, changes, fullMacs, compactMacs);
        cc.compact.load(cc.gather(model.state()));
        return cc;
    }

    /** The output channels of {@code layer} that {@code next} still reads through a kept weight. */
    private static int[] readChannels(WeightedLayer layer, WeightedLayer next) {
        int channels = layer.weight().value().rows();
        Mask m = next.weight().mask();
        int rows = next.weight().value().rows(), cols = next.weight().value().cols();
        if (m == null || cols % channels != 0) {
            return range(channels);
        }
        int per = cols / channels;
        boolean[] read = new boolean[channels];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                read[j / per] |= m.keptAt(i * cols + j);
            }
        }
        int n = 0;
        int[] out = new int[channels];
        for (int c = 0; c < channels; c++) {
            if (read[c]) {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Flat indices {@code outer[a] * stride + inner[b]}, row-major in (a, b). */
    private static int[] cross(int[] outer, int[] inner, int stride) {
        int[] out = new int[outer.length * inner.length];
        for (int a = 0; a < outer.length; a++) {
            for (int b = 0; b < inner.length; b++) {
                out[a * inner.length + b] = outer[a] * stride + inner[b];
            }
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static String name(WeightedLayer l) {
        String w = l.weight().name();
        return w.substring(0, w.length() - ".weight".length());
    }

    private static void change(List<String> changes, String layer, String what, int from, int to) {
        if (from != to) {
            changes.add(layer + " " + from + " -> " + to + " " + what);
        }
    }

    /** The full model's state cut down to the compact model's shapes. */
    private ModelState gather(ModelState state) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, Mask> masks = new LinkedHashMap<>();
        for (Parameter p : compact.parameters()) {
            int[] src = source.get(p.name());
            float[] from = state.value(p.name()), to = new float[p.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = from[src == null ? i : src[i]];
            }
            values.put(p.name(), to);
            Mask m = state.masks().get(p.name());
            if (m != null) {
                boolean[] kept = new boolean[p.size()];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = m.keptAt(src == null ? i : src[i]);
                }
                Mask cut = Mask.of(p.value().rows(), p.value().cols(), kept);
                // a layer left with no pruned weight runs as plain dense, with no mask to apply
                if (cut.keptCount() < cut.rows() * cut.cols()) {
                    masks.put(p.name(), cut);
                }
            }
        }
        return new ModelState(values, masks);
    }

    /** Writes the compact model's values into the full model; removed channels and masks stay as they were. */
    public void copyBackInto(Model target) {
        if (target != full) {
            throw new IllegalArgumentException("this compaction was made from another model");
        }
        ModelState now = full.state(), learned = compact.state();
        Map<String, float[]> values = new LinkedHashMap<>(now.values());
        for (Parameter p : compact.parameters()) {
            int[] src = source.get(p.name());
            float[] to = now.value(p.name()), from = learned.value(p.name());
            for (int i = 0; i < from.length; i++) {
                to[src == null ? i : src[i]] = from[i];
            }
            values.put(p.name(), to);
        }
        full.load(new ModelState(values, now.masks()));
    }

    public Model compact() {
        return compact;
    }

    /** Whether any channel was removed. */
    public boolean removedAny() {
        return !changes.isEmpty();
    }

    /** Multiply-adds per example of the dense weight products, before and after. */
    public long fullMacs() {
        return fullMacs;
    }

    public long compactMacs() {
        return compactMacs;
    }

    /** One line: what was removed, the weights and multiply-adds before and after. */
    public String describe() {
        return String.format(Locale.ROOT, "channels removed for real: %s; dense weights %,d -> %,d, multiply-adds per "
                + "example %,d -> %,d (%.2fx fewer)", changes.isEmpty() ? "none" : String.join(", ", changes),
                full.weightCount(), compact.weightCount(), fullMacs, compactMacs,
                fullMacs / (double) Math.max(1, compactMacs));
    }
}
