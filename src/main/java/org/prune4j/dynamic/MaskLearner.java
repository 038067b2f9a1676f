package org.prune4j.dynamic;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.Trainer;

/**
 * Learns which connections of a frozen random network to use: one score per weight, trained
 * by the experiment's optimiser with a straight-through gradient while every model parameter
 * stays fixed. Each step the effective weight is {@code w0 * m(scores)}; its gradient
 * {@code g} (at every connection, so the layers run on the dense path) gives the scores'
 * gradient, the optimiser moves the scores, and a new mask is drawn from them. Subclasses say
 * how the mask comes from the scores and how {@code g} reaches them.
 *
 * <p>The scores and the mask update live in host memory: on a device backend each step moves
 * the weight gradients to the host and the new effective weights back (counted transfers).
 */
public abstract class MaskLearner implements Trainer.Hook {
    protected final List<Parameter> weights;
    protected final List<float[]> fixed = new ArrayList<>();
    protected final List<Parameter> scores = new ArrayList<>();
    private final Optimizer optimizer;
    private final LearningRate lr;

    /**
     * Freezes every parameter of {@code model} and takes its weights' present values as the
     * fixed random weights; {@code initialScores} gives each weight's starting scores.
     */
    protected MaskLearner(Model model, Optimizer optimizer, LearningRate lr,
            java.util.function.Function<Parameter, float[]> initialScores) {
        this.weights = model.prunable();
        this.optimizer = optimizer;
        this.lr = lr;
        model.parameters().forEach(p -> p.setFrozen(true));
        for (Parameter w : weights) {
            if (w.mask() != null) {
                throw new IllegalArgumentException(w.name() + " already has a mask; a mask learner starts from the "
                        + "whole random network");
            }
            fixed.add(w.value().data().clone());
            float[] s = initialScores.apply(w);
            scores.add(new Parameter(w.name() + ".scores", Parameter.Kind.SCORE, Tensor.wrap(s, w.shape()), w.fanIn(),
                    w.fanOut()));
        }
        optimizer.reset();
    }

    /** The mask layer {@code l} uses in the next step, from its present scores. */
    protected abstract boolean[] trainingMask(int l);

    /** The scores' gradient from the effective weight's gradient {@code g}, written into {@code out}. */
    protected abstract void scoreGradient(int l, float[] g, float[] out);

    /** Sets every layer's effective weight for training; called once the subclass is ready. */
    protected final void start() {
        for (int l = 0; l < weights.size(); l++) {
            apply(l, trainingMask(l));
        }
    }

    @Override
    public void beforeStep(long iteration, Model model) {
        for (WeightedLayer layer : model.weightedLayers()) {
            layer.useSparseKernel(false);
        }
    }

    @Override
    public void afterStep(long iteration, Model model) {
        for (int l = 0; l < weights.size(); l++) {
            float[] g = weights.get(l).fullGradient().data();
            float[] out = scores.get(l).grad().data();
            scoreGradient(l, g, out);
        }
        optimizer.step(scores, lr.at(iteration - 1));
        for (int l = 0; l < weights.size(); l++) {
            apply(l, trainingMask(l));
        }
    }

    /** Sets layer {@code l} to {@code w0} on the kept connections and zero elsewhere. */
    protected final void apply(int l, boolean[] keep) {
        Parameter w = weights.get(l);
        int[] s = w.shape();
        w.setMask(Mask.of(s[0], s[1], keep));
        float[] v = w.value().data(), w0 = fixed.get(l);
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(w0[i]) & -(keep[i] ? 1 : 0));
        }
    }

    /** Sets layer {@code l} to the dense weight {@code values}, without a mask (an expected-value network). */
    protected final void applyDense(int l, float[] values) {
        Parameter w = weights.get(l);
        w.setMask(null);
        System.arraycopy(values, 0, w.value().data(), 0, values.length);
    }

    /** The present scores of layer {@code l}, in host memory. */
    protected final float[] scores(int l) {
        return scores.get(l).value().data();
    }

    /** The scores, for checkpoints and tests. */
    public List<Parameter> scoreParameters() {
        return List.copyOf(scores);
    }
}
