package org.prune4j.prune;

import java.util.Map;
import org.prune4j.nn.Parameter;

/**
 * Optimal Brain Damage as LeCun, Denker and Solla computed it: saliency {@code h_kk w_k^2 / 2}
 * with {@code h_kk} from their backward pass of diagonal second derivatives
 * ({@link GaussNewtonDiagonal}), exact in one pass per batch where {@link ObdScore} estimates
 * the true Hessian's diagonal from random probes.
 */
public record ObdLeCunScore() implements Scorer {

    @Override
    public String name() {
        return "obd-lecun";
    }

    /** The second derivatives alone, for inspection and tests. */
    public Map<Parameter, float[]> hessianDiagonal(ScoringContext ctx) {
        return GaussNewtonDiagonal.of(ctx);
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        return ObdScore.saliency(ctx, hessianDiagonal(ctx));
    }
}
