package org.prune4j.prune;

/** Builds scopes from their command-line names, and their shared checks. */
public final class Scopes {
    private Scopes() {
    }

    public static Scope named(String name, double outputRateScale) {
        return switch (name) {
            case "layerwise" -> new LayerwiseScope(outputRateScale);
            case "global" -> new GlobalScope();
            case "erk" -> new ErkScope();
            default -> throw new IllegalArgumentException("unknown scope '" + name + "'; choose layerwise, global or erk");
        };
    }

    static void checkKeep(double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("a pruning step must keep a fraction in (0, 1] of the live weights, got "
                    + keep + "; a sparsity of 100% leaves no network");
        }
    }
}
