package org.prune4j.nn;

import java.util.List;

/**
 * Updates trainable parameters from their gradients. Implementations mask the gradient before
 * using it and their own per-weight state after, so pruned weights and everything that could
 * revive them stay exactly zero.
 */
public interface Optimizer {

    void step(List<Parameter> parameters, double learningRate);

    /** Forgets all state (momentum, moments, step count), as at the start of a new round. */
    void reset();

    String describe();

    /** Builds an optimiser from its name: sgd, momentum, nesterov or adam. */
    static Optimizer named(String name, double momentum, double weightDecay) {
        return switch (name) {
            case "sgd" -> new Sgd(0, false, weightDecay);
            case "momentum" -> new Sgd(momentum, false, weightDecay);
            case "nesterov" -> new Sgd(momentum, true, weightDecay);
            case "adam" -> new Adam(0.9, 0.999, 1e-8, weightDecay);
            default -> throw new IllegalArgumentException("unknown optimiser '" + name
                    + "'; choose sgd, momentum, nesterov or adam");
        };
    }
}
