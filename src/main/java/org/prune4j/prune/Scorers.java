package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds scorers from their command-line names: the built-in ones and any {@link StrategyProvider}'s. */
public final class Scorers {
    /** The built-in scores. */
    public static final List<String> NAMES = List.of("magnitude", "random", "obd", "obd-lecun", "snip", "grasp",
            "synflow", "bn-scale");

    private Scorers() {
    }

    /** Every score name known now, outside providers included. */
    public static List<String> names() {
        return List.copyOf(Strategies.all("score", StrategyProvider::scorers).keySet());
    }

    public static Scorer named(String name) {
        Map<String, Supplier<Scorer>> all = Strategies.all("score", StrategyProvider::scorers);
        Supplier<Scorer> s = all.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown score '" + name + "'; choose one of " + all.keySet());
        }
        return s.get();
    }
}
