package org.prune4j.prune;

import org.prune4j.nn.Parameter;

/** One prunable weight with its scores, whether it is the network's output layer and whether a convolution's. */
public record Scored(Parameter weight, float[] scores, boolean output, boolean conv) {

    /** A weight that is not a convolution's. */
    public Scored(Parameter weight, float[] scores, boolean output) {
        this(weight, scores, output, false);
    }

    public Scored {
        if (scores.length != weight.size()) {
            throw new IllegalArgumentException(weight.name() + ": " + scores.length + " scores for " + weight.size()
                    + " weights");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException(weight.name() + ": score " + i
                        + " is NaN; the model or its gradients hold non-finite values");
            }
        }
    }
}
