package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * The granularity of pruning: which weights are removed together. Every score and every
 * {@link Scope} composes with every structure (see {@link StructuredScope}): a group is ranked
 * by the mean score of its live weights (for magnitude, the L1 norm per weight, as Li et al.
 * rank filters), the scope decides how many weights each layer keeps, and the structure rounds
 * that to whole groups.
 *
 * <ul>
 * <li>{@code unstructured}: every weight on its own.
 * <li>{@code block:RxC}: R x C tiles of the stored weight (R, C each 1, 2, 4, 8, 16 or 32, the
 * BSR kernels' sizes). Shapes that do not divide end in smaller edge tiles, ranked like the rest,
 * which is how {@link org.prune4j.sparse.BsrMatrix} pads them.
 * <li>{@code nm:N:M}: N of every M consecutive weights along the input dimension, as sparse
 * tensor cores need (M &lt;= 8). It fixes the sparsity at 1 - N/M; a row whose length is not a
 * multiple of M ends in a shorter group that keeps min(N, its length) weights, as if padded
 * with zeros that are never chosen.
 * <li>{@code channels}: whole output channels (Conv2d filters, Linear neurons) of every layer
 * but the output layer, whose neurons are the classes; the next layer's inputs from a removed
 * channel are masked too, so nothing the channel computes reaches the output.
 * </ul>
 */
public interface Structure {

    /** The forms {@link #parse} accepts, for help texts and errors. */
    List<String> FORMS = List.of("unstructured", "block:RxC", "nm:N:M", "channels");

    /** The canonical spelling, which {@link #parse} reads back. */
    String name();

    /**
     * Masks for one pruning step that keeps the fraction {@code keep} of the live weights as
     * {@code scope} allocates them, in whole groups. A pruned weight never comes back.
     */
    Map<Parameter, Mask> select(List<Scored> layers, double keep, Scope scope);

    /**
     * Random masks with this structure and as many live groups per layer as {@code masks}: the
     * random-pruning control of a structured run.
     */
    Map<Parameter, Mask> randomLike(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng);

    /** Draws one layer's random mask like {@code mask}, from its own stream. */
    @FunctionalInterface
    interface LayerDraw {
        Mask draw(Parameter weight, Mask mask, Rng rng);
    }

    /**
     * {@code draw} for every layer that has a mask, the k-th such layer drawing from
     * {@code rng.split(k)}: the random control's streams, the same whatever the structure.
     */
    static Map<Parameter, Mask> eachMasked(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng,
            LayerDraw draw) {
        Map<Parameter, Mask> out = new java.util.LinkedHashMap<>();
        int i = 0;
        for (Parameter p : layers) {
            Mask m = masks.get(p);
            if (m != null) {
                out.put(p, draw.draw(p, m, rng.split(++i)));
            }
        }
        return out;
    }

    /** The density the structure fixes by itself (N:M), empty where the scope's fraction decides. */
    default OptionalDouble fixedDensity() {
        return OptionalDouble.empty();
    }

    static Structure parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        String[] parts = s.split(":", -1);
        try {
            switch (parts[0]) {
                case "unstructured" -> {
                    if (parts.length == 1) {
                        return new Unstructured();
                    }
                }
                case "channels" -> {
                    if (parts.length == 1) {
                        return new ChannelStructure();
                    }
                }
                case "block" -> {
                    String[] rc = parts.length == 2 ? parts[1].split("x", -1) : new String[0];
                    if (rc.length == 2) {
                        return new BlockStructure(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
                    }
                }
                case "nm" -> {
                    if (parts.length == 3) {
                        return new NmStructure(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                    }
                }
                default -> {
                    // reported below
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("unknown structure '" + spec + "'; write one of " + FORMS
                + ", e.g. block:4x4 or nm:2:4");
    }
}
