package org.prune4j.nn;

import java.util.OptionalDouble;

/**
 * When a masked weight trains on the sparse kernels rather than as a dense matrix with zeros:
 * below a density threshold. The threshold is per layer when the policy has measured
 * {@link Crossovers} (the whole training step of that layer shape, sparse against dense), else
 * the single {@code sparseBelowDensity} the user or a calibration file gave; {@code source}
 * says which, for the log.
 */
public record KernelPolicy(double sparseBelowDensity, String source, Crossovers crossovers) {

    /** Measured per-layer crossovers: the density below which the sparse step is faster. */
    public interface Crossovers {
        /** The crossover density for this layer shape, or empty when it cannot be measured here. */
        OptionalDouble crossover(LayerShape shape);

        /** One line on where the numbers come from. */
        String describe();
    }

    /**
     * Masked dense unless a calibration or the user says otherwise: the safe choice when
     * nothing was measured (a dense step is never slower than itself).
     */
    public static final KernelPolicy DEFAULT = new KernelPolicy(0.0, "default: masked dense (no calibration)", null);

    /** Always dense, whatever the density: the reference the sparse path is tested against. */
    public static final KernelPolicy DENSE = new KernelPolicy(0.0, "dense forced", null);

    public KernelPolicy {
        if (!(sparseBelowDensity >= 0 && sparseBelowDensity <= 1)) {
            throw new IllegalArgumentException("sparse-below density must be in [0, 1], got " + sparseBelowDensity);
        }
    }

    public KernelPolicy(double sparseBelowDensity, String source) {
        this(sparseBelowDensity, source, null);
    }

    /** Per-layer thresholds from measured whole-step crossovers; layers it cannot measure stay dense. */
    public static KernelPolicy calibrated(Crossovers crossovers) {
        return new KernelPolicy(0.0, crossovers.describe(), crossovers);
    }

    /** The density below which this layer runs sparse. */
    public double threshold(LayerShape shape) {
        if (crossovers == null) {
            return sparseBelowDensity;
        }
        return crossovers.crossover(shape).orElse(sparseBelowDensity);
    }

    public boolean sparse(double density) {
        return density < sparseBelowDensity;
    }
}
