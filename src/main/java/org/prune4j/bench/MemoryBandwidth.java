package org.prune4j.bench;

import java.util.stream.IntStream;

/**
 * Sustained memory bandwidth, STREAM-triad style ({@code a = b + s * c} over arrays far larger
 * than the last-level cache, on all cores), the slope of the roofline.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {
    }

    /** Best of several triads over three arrays of {@code mib} MiB each, in GB/s (3 arrays moved per pass). */
    public static double measureGBs(int mib) {
        int n = mib * (1 << 20) / 4;
        float[] a = new float[n], b = new float[n], c = new float[n];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
        int chunks = Runtime.getRuntime().availableProcessors() * 4;
        double best = 0;
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            IntStream.range(0, chunks).parallel().forEach(t -> {
                int from = (int) ((long) n * t / chunks), to = (int) ((long) n * (t + 1) / chunks);
                for (int i = from; i < to; i++) {
                    a[i] = b[i] + 3f * c[i];
                }
            });
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 3.0 * 4 * n / s / 1e9);
        }
        if (a[n / 2] != 7f) {
            throw new IllegalStateException("triad computed a wrong value");
        }
        return best;
    }
}
