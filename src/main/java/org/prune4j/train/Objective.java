package org.prune4j.train;

import org.prune4j.nn.Pass;
import org.prune4j.tensor.Tensor;

/**
 * What a training step minimises, given the model's logits for a batch: it writes the gradient
 * of the batch's mean loss into {@code dlogits} and adds [summed loss, correct rows, non-finite
 * rows] to the device-side {@code stats}, as {@link org.prune4j.backend.TrainingOps#softmaxCrossEntropy}
 * does. Softmax cross-entropy against the labels unless a method asks for more (distillation
 * also reads a teacher's logits of the same images).
 */
public interface Objective {
    void lossAndGradient(Tensor logits, Tensor images, Tensor labels, Tensor dlogits, Tensor stats, Pass pass);

    /** Softmax cross-entropy against the labels. */
    Objective CROSS_ENTROPY = (logits, images, labels, dlogits, stats, pass) -> pass.backend()
            .softmaxCrossEntropy(logits, labels, dlogits, stats);
}
