package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;

/**
 * Updates trainable parameters from their gradients, with the backend's fused update kernels,
 * where the parameters live and in the form they are in (dense, or the stored entries of a
 * sparse weight). State (momentum, moments) lives with each parameter ({@link Slot#state}), the
 * same size as what is updated; pruned entries are never touched, so they stay exactly zero.
 */
public interface Optimizer {

    /** One step; parameters still in host memory are updated by {@code backend} (a host-memory one). */
    void step(List<Parameter> parameters, double learningRate, Backend backend);

    /** One step on host parameters with the CPU backend. */
    default void step(List<Parameter> parameters, double learningRate) {
        step(parameters, learningRate, Backends.host());
    }

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
