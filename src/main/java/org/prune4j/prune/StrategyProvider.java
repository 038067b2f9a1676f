package org.prune4j.prune;

import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A source of pruning strategies, found with {@link java.util.ServiceLoader} (a jar on the
 * class path, or on the thread's context class loader, listing its class in
 * {@code META-INF/services/org.prune4j.prune.StrategyProvider}). Each map takes the name the
 * command line and the Java API use to the strategy it builds; {@code prune4j prune --score
 * NAME} and {@link Scorers#named} then find an outside score as they find the built-in ones
 * ({@link BuiltInStrategies} is registered the same way).
 */
public interface StrategyProvider {

    /** Scores by name. */
    default Map<String, Supplier<Scorer>> scorers() {
        return Map.of();
    }

    /** Scopes by name, built from the output layer's rate scale ({@code --output-rate-scale}). */
    default Map<String, DoubleFunction<Scope>> scopes() {
        return Map.of();
    }

    /**
     * Resets by name; the function gets the argument after a colon ({@code rewind:500} gives
     * "500"), or null when there is none.
     */
    default Map<String, Function<String, Reset>> resets() {
        return Map.of();
    }
}
