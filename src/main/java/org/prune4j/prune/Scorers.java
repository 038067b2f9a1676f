package org.prune4j.prune;

import java.util.List;

/** Builds scorers from their command-line names. */
public final class Scorers {
    public static final List<String> NAMES = List.of("magnitude", "random", "obd", "snip", "grasp", "synflow");

    private Scorers() {
    }

    public static Scorer named(String name) {
        return switch (name) {
            case "magnitude" -> new MagnitudeScore();
            case "random" -> new RandomScore();
            case "obd" -> new ObdScore();
            case "snip" -> new SnipScore();
            case "grasp" -> new GraspScore();
            case "synflow" -> new SynFlowScore();
            default -> throw new IllegalArgumentException("unknown score '" + name + "'; choose one of " + NAMES);
        };
    }
}
