package org.prune4j.train;

/**
 * How long and how to train: iterations (0 evaluates the model as it is), batch size, an
 * evaluation every {@code evalEvery} iterations, and the seed of the batch order and dropout.
 */
public record TrainConfig(long iterations, int batch, int evalEvery, long seed) {
    public TrainConfig {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batch);
        }
        if (evalEvery <= 0) {
            throw new IllegalArgumentException("evaluation interval must be positive, got " + evalEvery);
        }
    }
}
