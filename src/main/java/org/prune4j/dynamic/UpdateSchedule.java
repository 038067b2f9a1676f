package org.prune4j.dynamic;

/**
 * When SET and RigL move connections and how many: every {@code every} iterations while
 * fewer than {@code stop} iterations are done, a fraction of each layer's connections that is
 * constant (SET) or decays from {@code fraction} to zero along a half cosine ending at
 * {@code stop} (RigL: {@code fraction/2 * (1 + cos(pi * t / stop))}).
 */
public record UpdateSchedule(long every, long stop, double fraction, boolean cosine) {

    public UpdateSchedule {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the drop fraction must be in (0, 1), got " + fraction
                    + "; it is the share of each layer's connections moved per update");
        }
        if (every <= 0) {
            throw new IllegalArgumentException("the update interval must be at least 1 iteration, got " + every);
        }
        if (every >= stop) {
            throw new IllegalArgumentException("an update every " + every + " iterations never happens when updates "
                    + "stop after " + stop + " iterations; lower --update-every or train longer (or raise --stop-at)");
        }
    }

    /** Updates for a run of {@code iterations} steps that stop after the fraction {@code stopAt} of them. */
    public static UpdateSchedule of(long every, long iterations, double stopAt, double fraction, boolean cosine) {
        if (!(stopAt > 0 && stopAt <= 1)) {
            throw new IllegalArgumentException("--stop-at must be in (0, 1] (a fraction of training), got " + stopAt);
        }
        return new UpdateSchedule(every, Math.round(stopAt * iterations), fraction, cosine);
    }

    /** Whether the connections move after {@code iteration} steps. */
    public boolean updatesAt(long iteration) {
        return iteration > 0 && iteration % every == 0 && iteration < stop;
    }

    /** The fraction of each layer's connections moved at {@code iteration}. */
    public double fractionAt(long iteration) {
        return cosine ? fraction / 2 * (1 + Math.cos(Math.PI * iteration / stop)) : fraction;
    }

    /** How many updates a run makes. */
    public long updates() {
        return (stop - 1) / every;
    }

    public String describe() {
        return String.format("every %d iterations until %d, drop fraction %s%s", every, stop, fraction,
                cosine ? " with cosine decay" : "");
    }
}
