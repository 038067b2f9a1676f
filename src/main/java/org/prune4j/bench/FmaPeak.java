package org.prune4j.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's fp32 FMA throughput with every core running twelve independent FMA
 * chains on registers: the ceiling no kernel can pass. The nominal peak from the clock in
 * /proc/cpuinfo is often wrong under turbo or on cores with two FMA pipes; this is the measured
 * one, reported beside it.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {
    }

    /** GFLOP/s over all cores, best of three short rounds. */
    public static double measureGflops() {
        int threads = Runtime.getRuntime().availableProcessors();
        double best = 0;
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 3; round++) {
                long iters = 20_000_000L;
                long t0 = System.nanoTime();
                CompletableFuture<?>[] f = new CompletableFuture<?>[threads];
                for (int t = 0; t < threads; t++) {
                    f[t] = CompletableFuture.supplyAsync(() -> chains(iters), pool);
                }
                CompletableFuture.allOf(f).join();
                double sec = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, threads * iters * 12.0 * S.length() * 2 / sec / 1e9);
            }
        }
        return best;
    }

    private static float chains(long iters) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), a = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
