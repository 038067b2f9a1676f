package org.prune4j.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/** One pruning event: score, select, apply; optionally split into equal geometric sub-steps. */
public final class Pruner {
    private Pruner() {
    }

    /**
     * Keeps the fraction {@code keep} of the live weights in {@code steps} sub-steps of
     * {@code keep^(1/steps)} each, re-scoring in between (SynFlow's iterative pruning), and
     * applies the masks to the model.
     */
    public static Map<Parameter, Mask> prune(ScoringContext ctx, Scorer scorer, Scope scope, double keep, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("pruning needs at least one step, got " + steps);
        }
        Scopes.checkKeep(keep);
        Model model = ctx.model();
        double perStep = Math.pow(keep, 1.0 / steps);
        Map<Parameter, Mask> masks = null;
        for (int s = 0; s < steps; s++) {
            Map<Parameter, float[]> scores = scorer.scores(ctx);
            List<Scored> scored = new ArrayList<>();
            for (Parameter p : model.prunable()) {
                scored.add(new Scored(p, scores.get(p), model.isOutput(p), model.isConvolution(p)));
            }
            masks = scope.select(scored, perStep);
            masks.forEach(Parameter::setMask);
        }
        return masks;
    }
}
