package org.prune4j.train;

/**
 * The state of training after {@code iteration} steps: mean training loss since the previous
 * point, validation and test loss and accuracy.
 */
public record EvalPoint(long iteration, double trainLoss, double valLoss, double valAccuracy, double testLoss,
        double testAccuracy) {
}
