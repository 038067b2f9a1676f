package org.prune4j.prune;

/**
 * How much is pruned when. Round 0 is the dense network; {@link #density(int)} is the fraction
 * of weights left after round r (for the layerwise scope: of each non-output layer).
 */
public sealed interface Schedule permits Schedule.OneShot, Schedule.Iterative, Schedule.Gradual {

    int rounds();

    double density(int round);

    String describe();

    /** Straight to the target sparsity in one round. */
    record OneShot(double sparsity) implements Schedule {
        public OneShot {
            checkSparsity(sparsity);
        }

        public int rounds() {
            return 1;
        }

        public double density(int round) {
            return round == 0 ? 1 : 1 - sparsity;
        }

        public String describe() {
            return "one-shot to " + sparsity;
        }
    }

    /** {@code rounds} rounds, each removing {@code rate} of what is left: density (1 - rate)^r. */
    record Iterative(int rounds, double rate) implements Schedule {
        public Iterative {
            if (rounds <= 0) {
                throw new IllegalArgumentException("iterative pruning needs at least one round, got " + rounds);
            }
            if (!(rate > 0 && rate < 1)) {
                throw new IllegalArgumentException("pruning rate per round must be in (0, 1), got " + rate);
            }
        }

        public double density(int round) {
            return Math.pow(1 - rate, round);
        }

        public String describe() {
            return rounds + " rounds at " + rate;
        }
    }

    /**
     * Zhu & Gupta's gradual pruning during one training run: sparsity rises from 0 as
     * {@code s_f (1 - (1 - (t - t0) / (t1 - t0))^3)}, pruning every {@code every} iterations.
     */
    record Gradual(double sparsity, long start, long end, long every) implements Schedule {
        public Gradual {
            checkSparsity(sparsity);
            if (start < 0 || end <= start || every <= 0) {
                throw new IllegalArgumentException("gradual pruning needs 0 <= start < end and a positive interval, got "
                        + start + ", " + end + ", " + every);
            }
        }

        public int rounds() {
            return 1;
        }

        public double density(int round) {
            return round == 0 ? 1 : 1 - sparsity;
        }

        /** Target sparsity after {@code t} iterations. */
        public double sparsityAt(long t) {
            if (t <= start) {
                return 0;
            }
            double progress = Math.min(1.0, (t - start) / (double) (end - start));
            return sparsity * (1 - Math.pow(1 - progress, 3));
        }

        public boolean prunesAt(long t) {
            return t > start && t <= end && ((t - start) % every == 0 || t == end);
        }

        public String describe() {
            return "gradual to " + sparsity + " over iterations " + start + ".." + end + " every " + every;
        }
    }

    private static void checkSparsity(double s) {
        if (!(s > 0 && s < 1)) {
            throw new IllegalArgumentException("target sparsity must be in (0, 1), got " + s
                    + (s >= 1 ? "; 100% sparsity leaves no network" : ""));
        }
    }
}
