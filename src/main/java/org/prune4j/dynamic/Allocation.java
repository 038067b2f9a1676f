package org.prune4j.dynamic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.prune.ErkScope;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * How a model-wide density is shared among the layers of a network that starts sparse, and
 * the random masks that realise it. Layers whose share would exceed their size stay dense and
 * the rest is shared out again, as in RigL's implementation.
 */
public enum Allocation {
    /** Every layer at the same density, the first and last included (RigL's uniform baseline keeps the first dense). */
    UNIFORM("uniform"),
    /** Erdős–Rényi (Mocanu et al., SET): density proportional to (in + out) / (in x out), in channels for a conv. */
    ER("er"),
    /** Erdős–Rényi-Kernel (Evci et al., RigL): ER with a conv's kernel height and width counted too. */
    ERK("erk");

    private final String label;

    Allocation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Allocation named(String name) {
        for (Allocation a : values()) {
            if (a.label.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown allocation '" + name + "'; choose uniform, er or erk");
    }

    /**
     * Connections each layer keeps for a model-wide {@code density} (kept fraction); every
     * layer must keep at least one, else the network is cut and the error says which layer.
     */
    public long[] counts(List<Parameter> weights, double density) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], got " + density
                    + " (sparsity " + (1 - density) + ")");
        }
        long total = weights.stream().mapToLong(Parameter::size).sum();
        long target = Math.round(density * total);
        long[] keep = switch (this) {
            case UNIFORM -> weights.stream().mapToLong(p -> Math.round(density * p.size())).toArray();
            case ER -> ErkScope.allocate(weights, target, Allocation::erFactor);
            case ERK -> ErkScope.allocate(weights, target, ErkScope::factor);
        };
        for (int l = 0; l < keep.length; l++) {
            if (keep[l] < 1) {
                throw new IllegalArgumentException(String.format("sparsity %s leaves %s with no connections under "
                        + "the %s allocation, which would cut the network; lower the sparsity%s", 1 - density,
                        weights.get(l).name(), label, this == UNIFORM ? "" : " or use --allocation uniform"));
            }
        }
        return keep;
    }

    /** Random masks with {@link #counts} connections per layer, drawn uniformly within each layer. */
    public Map<Parameter, Mask> randomMasks(List<Parameter> weights, double density, Rng rng) {
        long[] keep = counts(weights, density);
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (int l = 0; l < keep.length; l++) {
            int[] s = weights.get(l).shape();
            out.put(weights.get(l), Mask.randomCount(s[0], s[1], (int) keep[l], rng.split(l + 1)));
        }
        return out;
    }

    /** ER's factor: the weight's in and out channels, without the kernel area. */
    static double erFactor(Parameter p) {
        int[] s = p.shape();
        double out = s[0];
        double kk = p.fanOut() / out;
        double in = s[1] / kk;
        return (in + out) / (in * out);
    }
}
