package org.prune4j.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The registry of scores, scopes and resets: every {@link StrategyProvider} on the class path
 * and on the thread's context class loader, the built-in ones first. A name two providers both
 * claim is an error that names them, never a silent choice.
 */
final class Strategies {
    private Strategies() {
    }

    static List<StrategyProvider> providers() {
        List<StrategyProvider> out = new ArrayList<>();
        out.add(new BuiltInStrategies());
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(Strategies.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Strategies.class.getClassLoader()) {
            loaders.add(context);
        }
        List<String> seen = new ArrayList<>();
        seen.add(BuiltInStrategies.class.getName());
        for (ClassLoader l : loaders) {
            for (StrategyProvider p : ServiceLoader.load(StrategyProvider.class, l)) {
                if (!seen.contains(p.getClass().getName())) {
                    seen.add(p.getClass().getName());
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Name to factory over all providers, for one kind of strategy. */
    static <F> Map<String, F> all(String kind, Function<StrategyProvider, Map<String, F>> of) {
        return all(kind, of, providers());
    }

    static <F> Map<String, F> all(String kind, Function<StrategyProvider, Map<String, F>> of,
            List<StrategyProvider> providers) {
        Map<String, F> m = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (StrategyProvider p : providers) {
            for (Map.Entry<String, F> e : of.apply(p).entrySet()) {
                String owner = from.putIfAbsent(e.getKey(), p.getClass().getName());
                if (owner != null) {
                    throw new IllegalStateException("two providers define the " + kind + " '" + e.getKey() + "': "
                            + owner + " and " + p.getClass().getName() + "; remove one from the class path");
                }
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    static long wholeNumber(String arg, String form) {
        try {
            long v = Long.parseLong(arg.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(form + " takes a whole number of iterations >= 0, got '" + arg + "'");
    }

    static <T> T noArgument(String arg, String name, T value) {
        if (arg != null) {
            throw new IllegalArgumentException("the reset '" + name + "' takes no argument, got '" + name + ":" + arg
                    + "'");
        }
        return value;
    }
}
