package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/** Builds scopes from their command-line names (built-in and {@link StrategyProvider}s'), and their shared checks. */
public final class Scopes {
    private Scopes() {
    }

    /** Every scope name known now, outside providers included. */
    public static List<String> names() {
        return List.copyOf(Strategies.all("scope", StrategyProvider::scopes).keySet());
    }

    /**
     * As {@link #named(String, double)}, with convolutions pruned at {@code convRateScale} times
     * the rate; only the layerwise scope has per-kind rates, so any other scale than 1 needs it.
     */
    public static Scope named(String name, double outputRateScale, double convRateScale) {
        if (convRateScale == 1) {
            return named(name, outputRateScale);
        }
        if (!name.equals("layerwise")) {
            throw new IllegalArgumentException("--conv-rate-scale sets the convolutions' share of the layerwise "
                    + "scope's rate; scope '" + name + "' does not prune layer by layer: leave it out or use --scope "
                    + "layerwise");
        }
        return new LayerwiseScope(outputRateScale, convRateScale);
    }

    public static Scope named(String name, double outputRateScale) {
        Map<String, DoubleFunction<Scope>> all = Strategies.all("scope", StrategyProvider::scopes);
        DoubleFunction<Scope> s = all.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scope '" + name + "'; choose one of " + all.keySet());
        }
        return s.apply(outputRateScale);
    }

    static void checkKeep(double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("a pruning step must keep a fraction in (0, 1] of the live weights, got "
                    + keep + "; a sparsity of 100% leaves no network");
        }
    }
}
