package org.prune4j.tensor;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A seeded random source. Same seed, same stream, on every machine: results of an experiment
 * are reproducible from its settings. {@link #split(long)} derives independent child streams,
 * so adding draws in one place does not shift the numbers drawn elsewhere.
 */
public final class Rng {
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
            RandomGeneratorFactory.of("L64X128MixRandom");

    private final long seed;
    private final RandomGenerator generator;

    public Rng(long seed) {
        this.seed = seed;
        this.generator = FACTORY.create(seed);
    }

    public long seed() {
        return seed;
    }

    /** An independent stream determined by this seed and {@code stream}, not by draws so far. */
    public Rng split(long stream) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (stream + 1));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Rng(z ^ (z >>> 31));
    }

    public float nextFloat() {
        return generator.nextFloat();
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * generator.nextFloat();
    }

    public double nextGaussian() {
        return generator.nextGaussian();
    }

    public int nextInt(int bound) {
        return generator.nextInt(bound);
    }

    public long nextLong() {
        return generator.nextLong();
    }

    public boolean nextBoolean(double probabilityTrue) {
        return generator.nextDouble() < probabilityTrue;
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
