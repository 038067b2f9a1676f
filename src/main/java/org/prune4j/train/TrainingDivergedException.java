package org.prune4j.train;

/**
 * Training went wrong numerically: a non-finite loss, weight or gradient, or a loss that grew far
 * beyond where it started. The message names the iterations, the layer and the value where
 * known, and the fix; nothing of the failed training is saved as a result.
 */
public final class TrainingDivergedException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final long iteration;

    public TrainingDivergedException(long iteration, String message) {
        super(message);
        this.iteration = iteration;
    }

    /** The evaluation point at which it was found. */
    public long iteration() {
        return iteration;
    }
}
