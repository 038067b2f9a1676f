package org.prune4j.experiment;

import java.util.List;
import java.util.Map;
import org.prune4j.train.EvalPoint;

/**
 * One trained (or only evaluated) network of an experiment: its round and branch, how many
 * weights it keeps per layer and in total, the early-stopping point and the last evaluation,
 * the wall time, the whole evaluation curve, what an example costs it (absent in results
 * written before costs were recorded), when asked for ({@code --latency}), its measured
 * inference latency per batch size on the run's backend, and the part of the wall time spent in
 * training steps, evaluations left out ({@code stepSeconds}; absent in older results and for
 * networks that were only evaluated).
 */
public record RoundResult(int round, String branch, String method, Map<String, Double> layerDensity,
        long weightsRemaining, long weightsTotal, double density, EvalPoint earlyStop, EvalPoint last, double seconds,
        List<String> kernels, List<EvalPoint> curve,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        org.prune4j.nn.NetworkCost cost,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<org.prune4j.bench.InferenceBench.Row> latency,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Double stepSeconds) {

    public RoundResult {
        latency = latency == null ? null : List.copyOf(latency);
        layerDensity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerDensity));
        kernels = List.copyOf(kernels);
        curve = List.copyOf(curve);
    }

    /** A result without a latency measurement. */
    public RoundResult(int round, String branch, String method, Map<String, Double> layerDensity,
            long weightsRemaining, long weightsTotal, double density, EvalPoint earlyStop, EvalPoint last,
            double seconds, List<String> kernels, List<EvalPoint> curve, org.prune4j.nn.NetworkCost cost) {
        this(round, branch, method, layerDensity, weightsRemaining, weightsTotal, density, earlyStop, last, seconds,
                kernels, curve, cost, null, null);
    }

    /** A result without a cost. */
    public RoundResult(int round, String branch, String method, Map<String, Double> layerDensity,
            long weightsRemaining, long weightsTotal, double density, EvalPoint earlyStop, EvalPoint last,
            double seconds, List<String> kernels, List<EvalPoint> curve) {
        this(round, branch, method, layerDensity, weightsRemaining, weightsTotal, density, earlyStop, last, seconds,
                kernels, curve, null, null, null);
    }

    /**
     * Milliseconds per training step: the step time over the iterations trained; NaN where the
     * result does not record its step time or trained no steps.
     */
    public double msPerStep() {
        return stepSeconds == null || last.iteration() == 0 ? Double.NaN : 1000 * stepSeconds / last.iteration();
    }
}
