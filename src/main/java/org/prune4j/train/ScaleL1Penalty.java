package org.prune4j.train;

import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;

/**
 * The channel-sparsity regulariser of network slimming (Liu et al., ICCV 2017): an L1 penalty
 * {@code lambda * sum |gamma|} on every BatchNorm scale. Applied after each optimiser step as its
 * proximal step, gamma <- sign(gamma) max(|gamma| - lr lambda, 0): under plain SGD this is the
 * paper's subgradient step except that a scale reaching zero stays there instead of
 * oscillating around it; under Adam it keeps the penalty's strength independent of Adam's
 * per-parameter scaling (as AdamW does for L2).
 */
public final class ScaleL1Penalty implements Trainer.Hook {
    private final double lambda;
    private final LearningRate lr;

    public ScaleL1Penalty(double lambda, LearningRate lr) {
        if (!(lambda > 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the L1 penalty on BatchNorm scales must be positive and finite, got "
                    + lambda + " (the paper uses 1e-4 to 1e-5)");
        }
        this.lambda = lambda;
        this.lr = lr;
    }

    @Override
    public void afterStep(long iteration, Model model) {
        float shrink = (float) (lr.at(iteration - 1) * lambda);
        for (Parameter p : model.normScales()) {
            if (!p.trainable()) {
                continue;
            }
            float[] g = p.value().data();
            for (int i = 0; i < g.length; i++) {
                float a = Math.abs(g[i]) - shrink;
                g[i] = a > 0 ? Math.copySign(a, g[i]) : 0f;
            }
        }
    }
}
