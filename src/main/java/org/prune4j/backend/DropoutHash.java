package org.prune4j.backend;

/**
 * The counter-based random numbers of dropout: a pure function of (seed, index), so the CPU and
 * CUDA kernels draw identical masks and the backward pass recomputes the mask instead of
 * storing it. SplitMix64's finaliser over {@code seed + (index + 1) * golden ratio}; the top 24
 * bits give a float in [0, 1) exactly, so both sides agree bit for bit.
 */
public final class DropoutHash {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private DropoutHash() {
    }

    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
