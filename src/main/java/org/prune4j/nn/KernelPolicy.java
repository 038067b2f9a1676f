package org.prune4j.nn;

/**
 * When a masked weight is multiplied as a sparse matrix rather than as a dense one with zeros:
 * below {@code sparseBelowDensity}. The threshold is what the backend measured (a calibration
 * file) or what the user said; {@code source} says which, for the log.
 */
public record KernelPolicy(double sparseBelowDensity, String source) {

    /**
     * On this project's CPU reference machine CSR SpMM overtook OpenBLAS at about 75% sparsity
     * (docs/cpu-spmm-crossover.md), hence a density of 0.25 until a calibration says otherwise.
     */
    public static final KernelPolicy DEFAULT = new KernelPolicy(0.25, "default crossover of docs/cpu-spmm-crossover.md");

    /** Always dense, whatever the density: the reference the sparse path is tested against. */
    public static final KernelPolicy DENSE = new KernelPolicy(0.0, "dense forced");

    public KernelPolicy {
        if (!(sparseBelowDensity >= 0 && sparseBelowDensity <= 1)) {
            throw new IllegalArgumentException("sparse-below density must be in [0, 1], got " + sparseBelowDensity);
        }
    }

    public boolean sparse(double density) {
        return density < sparseBelowDensity;
    }
}
