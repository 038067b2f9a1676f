package org.prune4j.prune;

import org.prune4j.backend.Backend;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Model;
import org.prune4j.tensor.Rng;

/**
 * What a scorer may use: the model (with its present masks), the backend, training data for the
 * data-driven scores (null for data-free runs), how many batches of what size to average over,
 * and a random stream.
 */
public record ScoringContext(Model model, Backend backend, ImageData data, int batches, int batchSize, Rng rng) {
    public ScoringContext {
        if (batches <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("scoring needs at least one batch of at least one example");
        }
    }
}
