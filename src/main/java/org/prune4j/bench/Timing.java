package org.prune4j.bench;

import java.util.Arrays;

/** Median and spread of repeated runs, after warm-up. Benchmarks only; tests never time. */
public record Timing(double medianMs, double minMs, double maxMs, int runs) {

    public static Timing measure(Runnable body, int warmup, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("need at least one timed run, got " + runs);
        }
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : 0.5 * (ms[runs / 2 - 1] + ms[runs / 2]);
        return new Timing(median, ms[0], ms[runs - 1], runs);
    }

    /** GFLOP/s for {@code flops} useful floating-point operations at the median time. */
    public double gflops(double flops) {
        return flops / (medianMs * 1e6);
    }
}
