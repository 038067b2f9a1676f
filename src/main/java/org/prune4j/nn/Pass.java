package org.prune4j.nn;

import java.util.Objects;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Rng;

/**
 * What one forward pass needs besides its input: the backend, whether it is training (dropout
 * on, BatchNorm batch statistics) and the random stream for dropout.
 */
public record Pass(Backend backend, boolean training, Rng rng) {
    public Pass {
        Objects.requireNonNull(backend, "backend");
        if (training) {
            Objects.requireNonNull(rng, "a training pass needs a random stream for dropout");
        }
    }

    public static Pass eval(Backend backend) {
        return new Pass(backend, false, null);
    }
}
