package org.prune4j.train;

import org.prune4j.nn.Model;
import org.prune4j.nn.Pass;
import org.prune4j.tensor.Tensor;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015) as a training objective: each batch
 * goes through the frozen {@code teacher} too, in evaluation mode on the same backend, and the
 * student minimises {@code weight * T^2 * KL(teacher || student at temperature T) + (1 - weight)
 * * cross-entropy} ({@link org.prune4j.backend.TrainingOps#distillationLoss}). The teacher is
 * never stepped; its parameters move to the backend on the first batch and stay there until
 * {@link #close}.
 */
public final class Distillation implements Objective, AutoCloseable {
    private final Model teacher;
    private final float temperature;
    private final float weight;

    public Distillation(Model teacher, double temperature, double weight) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be positive and finite, got "
                    + temperature);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillation weight (of the soft loss) must be in [0, 1], got " + weight);
        }
        this.teacher = teacher;
        this.temperature = (float) temperature;
        this.weight = (float) weight;
    }

    @Override
    public void lossAndGradient(Tensor logits, Tensor images, Tensor labels, Tensor dlogits, Tensor stats, Pass pass) {
        Tensor soft = teacher.forward(images, pass.evaluation());
        pass.backend().distillationLoss(logits, soft, labels, temperature, weight, dlogits, stats);
    }

    /** Brings the teacher back to host memory. */
    @Override
    public void close() {
        teacher.release();
    }
}
