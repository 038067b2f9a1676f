package org.prune4j.nn;

/**
 * When a masked weight is multiplied as a sparse matrix rather than as a dense one with zeros:
 * below {@code sparseBelowDensity}. The threshold is what the backend measured (a calibration
 * file) or what the user said; {@code source} says which, for the log.
 */
public record KernelPolicy(double sparseBelowDensity, String source) {

    /**
     * Masked dense unless a calibration or the user says otherwise. The forward product alone
     * favours CSR below ~25% density on this project's CPU (docs/benchmarks.md), but a whole
     * LeNet-300-100 training step at batch 60 measured slower on the sparse path at every
     * density tried (2.2x at 10%, 1.2x at 2%): the per-step costs besides the products dominate
     * at that size. Hence off by default.
     */
    public static final KernelPolicy DEFAULT = new KernelPolicy(0.0, "default: masked dense; a LeNet training step "
            + "measured faster dense at every density (docs/benchmarks.md)");

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
