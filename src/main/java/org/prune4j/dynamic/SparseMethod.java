package org.prune4j.dynamic;

import java.util.List;
import java.util.function.Supplier;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.tensor.Rng;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.Trainer;

/**
 * A way to train a network that is sparse (or frozen) from the start: it prepares a freshly
 * initialised model (masks, frozen parameters, fixed weights) and returns the hooks that
 * update it between steps.
 */
public interface SparseMethod {

    /** The name on the command line and in run folders. */
    String name();

    /** The paper it follows, for help text and reports. */
    String paper();

    /**
     * Refuses settings this model cannot run (a layer left without connections, no BatchNorm)
     * once the data and model are known, before any settings, checkpoint or result is written.
     */
    void check(Model model, Context ctx);

    /** Prepares {@code model} (as initialised) and returns its training hooks. */
    Prepared prepare(Model model, Context ctx);

    /**
     * What a method may use: its settings, the training run's length and batch, the number of
     * training examples (an epoch), a fresh optimiser of the experiment's kind for scores, the
     * learning-rate schedule, the kernel policy and a random stream.
     */
    record Context(SparseTrainingSettings settings, TrainConfig train, int trainSize, Supplier<Optimizer> optimizer,
            LearningRate lr, KernelPolicy policy, Rng rng) {
    }

    /**
     * A prepared model's hooks; whether the kernel policy picks its layers' kernels (false when
     * the hooks keep them on the dense path); its label in results, asked after training.
     */
    record Prepared(List<Trainer.Hook> hooks, boolean policyKernels, Supplier<String> label) {
    }
}
