package org.prune4j.train;

import org.prune4j.backend.Backend;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Pass;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * One gradient step of a model on a batch already in the backend's memory: forward, softmax
 * cross-entropy (its sums added to a device-side accumulator), backward, optimiser update. No
 * copies between host and device happen inside it. The trainer runs it in a loop, the training
 * benchmark times it, the calibration measures what it costs per layer.
 */
public final class TrainingStep {
    private final Model model;
    private final Optimizer optimizer;
    private final Pass pass;
    private final Tensor stats;
    private final Objective objective;

    /** {@code workspace} holds the activations; {@code dropout} is the stream dropout draws its seeds from. */
    public TrainingStep(Model model, Optimizer optimizer, Workspace workspace, Rng dropout) {
        this(model, optimizer, workspace, dropout, Objective.CROSS_ENTROPY);
    }

    /** As above, minimising {@code objective} instead of the cross-entropy. */
    public TrainingStep(Model model, Optimizer optimizer, Workspace workspace, Rng dropout, Objective objective) {
        this.model = model;
        this.optimizer = optimizer;
        this.objective = objective;
        Backend be = workspace.backend();
        this.pass = new Pass(be, true, dropout, workspace);
        this.stats = workspace.get(TrainingStep.class, "stats", 3);
        be.fill(stats, 0f);
    }

    public void run(Tensor images, Tensor labels, double learningRate) {
        Backend be = pass.backend();
        Tensor logits = model.forward(images, pass);
        Tensor dlogits = pass.buffer(TrainingStep.class, "dlogits", logits.shape());
        objective.lossAndGradient(logits, images, labels, dlogits, stats, pass);
        model.backward(dlogits);
        optimizer.step(model.parameters(), learningRate, be);
    }

    /**
     * Reads and clears the sums since the last call: [0] summed loss, [1] correct predictions,
     * [2] examples with non-finite logits. One small copy to the host.
     */
    public float[] takeStats() {
        float[] s = stats.toHost().data();
        pass.backend().fill(stats, 0f);
        return s;
    }

    /** An evaluation pass on the same backend and workspace. */
    public Pass evaluation() {
        return pass.evaluation();
    }
}
