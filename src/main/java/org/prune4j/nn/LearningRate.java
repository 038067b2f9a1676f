package org.prune4j.nn;

import java.util.Arrays;

/** A learning rate as a function of the iteration. */
public interface LearningRate {

    double at(long iteration);

    String describe();

    static LearningRate constant(double lr) {
        check(lr);
        return new LearningRate() {
            public double at(long iteration) {
                return lr;
            }

            public String describe() {
                return "constant " + lr;
            }
        };
    }

    /** Multiplied by {@code gamma} at each milestone iteration. */
    static LearningRate steps(double lr, double gamma, long... milestones) {
        check(lr);
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("step schedule: gamma must be positive and finite, got " + gamma
                    + " (0.1 divides the learning rate by ten at each milestone)");
        }
        for (long m : milestones) {
            if (m < 0) {
                throw new IllegalArgumentException("step schedule: milestones are iterations >= 0, got " + m);
            }
        }
        long[] ms = milestones.clone();
        Arrays.sort(ms);
        return new LearningRate() {
            public double at(long iteration) {
                int passed = 0;
                for (long m : ms) {
                    if (iteration >= m) {
                        passed++;
                    }
                }
                return lr * Math.pow(gamma, passed);
            }

            public String describe() {
                return lr + " x " + gamma + " at " + Arrays.toString(ms);
            }
        };
    }

    /** Linear warm-up over {@code warmup} iterations, then cosine decay to 0 at {@code total}. */
    static LearningRate cosine(double lr, long warmup, long total) {
        check(lr);
        if (total <= 0 || warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= warmup < total, got " + warmup + ", " + total);
        }
        return new LearningRate() {
            public double at(long iteration) {
                if (iteration < warmup) {
                    return lr * (iteration + 1) / warmup;
                }
                double progress = Math.min(1.0, (iteration - warmup) / (double) (total - warmup));
                return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
            }

            public String describe() {
                return "cosine " + lr + " (warm-up " + warmup + ", " + total + " iterations)";
            }
        };
    }

    private static void check(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
    }
}
