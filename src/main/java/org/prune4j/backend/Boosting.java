package org.prune4j.backend;

/**
 * How a k-winners layer boosts its units (Ahmad and Scheinkman 2019): a unit whose duty cycle
 * (its share of recent examples it won) is below the target density has its values scaled up
 * for the choice of winners, one above it scaled down, by {@code exp(strength * (target -
 * dutyCycle))}. The strength starts at {@code strength} and is multiplied by {@code decay} every
 * {@code decayEvery} training examples (the authors' code multiplies it by 0.85 each MNIST epoch,
 * so boosting spreads the winners early in training and fades later). Duty cycles average over
 * the last {@code period} examples.
 *
 * @param strength   the boost strength at the start of training, at least 0 (0: no boosting)
 * @param decay      the factor the strength is multiplied by every {@code decayEvery} examples, in (0, 1]
 * @param decayEvery training examples between two decays, positive
 * @param period     examples the duty cycles average over, positive
 */
public record Boosting(double strength, double decay, long decayEvery, int period) {
    /** No boosting: winners are the k largest values; duty cycles still average over 1000 examples. */
    public static final Boosting NONE = new Boosting(0, 1, 1, 1000);

    public Boosting {
        if (!(strength >= 0) || !Double.isFinite(strength)) {
            throw new IllegalArgumentException("boost strength must be finite and at least 0, got " + strength);
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("boost strength decay must be in (0, 1], got " + decay);
        }
        if (decayEvery <= 0 || period <= 0) {
            throw new IllegalArgumentException("boost decay interval and duty-cycle period must be positive, got "
                    + decayEvery + " and " + period);
        }
    }

    /** The strength after {@code seen} training examples. */
    public double strengthAfter(double seen) {
        return strength == 0 ? 0 : strength * Math.pow(decay, Math.floor(seen / decayEvery));
    }

    /** The same schedule with boosting switched off (the duty cycles keep their period). */
    public Boosting off() {
        return new Boosting(0, 1, 1, period);
    }
}
