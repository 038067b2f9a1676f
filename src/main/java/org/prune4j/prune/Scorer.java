package org.prune4j.prune;

import java.util.Map;
import org.prune4j.nn.Parameter;

/**
 * Ranks the weights of every prunable parameter: a higher score means more worth keeping.
 * Scores of already-pruned weights are ignored by every {@link Scope}.
 */
public interface Scorer {

    String name();

    /** One score per weight, in the weight's layout, for each prunable parameter. */
    Map<Parameter, float[]> scores(ScoringContext ctx);

    /** Whether the score needs training data (false for magnitude, random and SynFlow). */
    default boolean needsData() {
        return true;
    }
}
