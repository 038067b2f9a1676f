package org.prune4j.train;

import java.util.Comparator;
import java.util.List;

/**
 * A finished training run: its evaluation curve, the early-stopping point (the evaluation
 * with the lowest validation loss, as Frankle & Carbin report it), the last point, and the
 * wall time in seconds, and of that the time in training steps ({@code stepSeconds}: batch
 * loading, steps and their hooks, without the evaluations). {@code settledFrom} is the
 * iteration from which the network had its final form (a gradual schedule's last pruning
 * step); the early stop is chosen from there on, since an earlier point would report a denser
 * network than the one the run produced.
 */
public record TrainResult(List<EvalPoint> curve, double seconds, double stepSeconds, long settledFrom) {

    public TrainResult {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("a training result needs at least one evaluation");
        }
        curve = List.copyOf(curve);
    }

    public EvalPoint earlyStop() {
        return curve.stream().filter(p -> !Double.isNaN(p.valLoss()) && p.iteration() >= settledFrom)
                .min(Comparator.comparingDouble(EvalPoint::valLoss).thenComparingLong(EvalPoint::iteration))
                .orElse(last());
    }

    public EvalPoint last() {
        return curve.get(curve.size() - 1);
    }
}
