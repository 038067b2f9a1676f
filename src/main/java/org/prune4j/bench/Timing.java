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
        return of(ms);
    }

    /** Median, min and max of times measured elsewhere (device events). */
    public static Timing of(double[] times) {
        double[] ms = times.clone();
        int runs = ms.length;
        if (runs == 0) {
            throw new IllegalArgumentException("no times to summarise");
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : 0.5 * (ms[runs / 2 - 1] + ms[runs / 2]);
        return new Timing(median, ms[0], ms[runs - 1], runs);
    }

    public static Timing of(float[] times) {
        double[] d = new double[times.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = times[i];
        }
        return of(d);
    }

    /** GFLOP/s for {@code flops} useful floating-point operations at the median time. */
    public double gflops(double flops) {
        return flops / (medianMs * 1e6);
    }
}
