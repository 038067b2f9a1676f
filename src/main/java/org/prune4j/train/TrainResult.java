package org.prune4j.train;

import java.util.Comparator;
import java.util.List;

/**
 * A finished training run: its evaluation curve, the early-stopping point (the evaluation
 * with the lowest validation loss, as Frankle & Carbin report it), the last point, and the
 * wall time in seconds.
 */
public record TrainResult(List<EvalPoint> curve, double seconds) {

    public TrainResult {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("a training result needs at least one evaluation");
        }
        curve = List.copyOf(curve);
    }

    public EvalPoint earlyStop() {
        return curve.stream().filter(p -> !Double.isNaN(p.valLoss()))
                .min(Comparator.comparingDouble(EvalPoint::valLoss).thenComparingLong(EvalPoint::iteration))
                .orElse(last());
    }

    public EvalPoint last() {
        return curve.get(curve.size() - 1);
    }
}
