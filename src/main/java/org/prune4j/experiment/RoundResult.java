package org.prune4j.experiment;

import java.util.List;
import java.util.Map;
import org.prune4j.train.EvalPoint;

/**
 * One trained (or only evaluated) network of an experiment: its round and branch, how many
 * weights it keeps per layer and in total, the early-stopping point and the last evaluation,
 * the wall time, and the whole evaluation curve.
 */
public record RoundResult(int round, String branch, String method, Map<String, Double> layerDensity,
        long weightsRemaining, long weightsTotal, double density, EvalPoint earlyStop, EvalPoint last, double seconds,
        List<String> kernels, List<EvalPoint> curve) {

    public RoundResult {
        layerDensity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerDensity));
        kernels = List.copyOf(kernels);
        curve = List.copyOf(curve);
    }
}
