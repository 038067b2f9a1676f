package org.prune4j.dynamic;

import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.tensor.Rng;

/**
 * Learned supermasks (Zhou et al., "Deconstructing Lottery Tickets: Zeros, Signs, and the
 * Supermask", NeurIPS 2019): each connection is kept with probability {@code sigmoid(s)}, a
 * fresh Bernoulli sample every step; the score gets the straight-through gradient
 * {@code g * w0 * sigmoid'(s)} (the sample's gradient taken as that of its probability). The
 * weights stay at their initialisation, or at its signed constant (sign times the layer's
 * initialisation standard deviation). Evaluation uses the expected network
 * {@code w0 * sigmoid(s)} (dense) or one Bernoulli sample (a sparse network); after the last
 * evaluation the model is left as it was evaluated.
 */
public final class LearnedSupermask extends MaskLearner {

    /** What an evaluation sees. */
    public enum Evaluation { EXPECTED, SAMPLED }

    private final Evaluation evaluation;
    private final long iterations;
    private final Rng rng;
    private long draws;
    private boolean[][] training;

    /**
     * @param signedConstant whether the weights become their signed constant first
     * @param iterations     the run's length, so the last evaluation leaves the model as evaluated
     */
    public LearnedSupermask(Model model, boolean signedConstant, Evaluation evaluation, long iterations,
            Optimizer optimizer, LearningRate lr, Rng rng) {
        super(signedConstant ? signedConstant(model) : model, optimizer, lr, w -> new float[w.size()]);
        this.evaluation = evaluation;
        this.iterations = iterations;
        this.rng = rng;
        start();
    }

    static Model signedConstant(Model model) {
        for (Parameter w : model.prunable()) {
            float c = (float) model.initialiser().std(w.fanIn(), w.fanOut());
            float[] v = w.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] > 0 ? c : v[i] < 0 ? -c : 0f;
            }
        }
        return model;
    }

    static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    @Override
    protected boolean[] trainingMask(int l) {
        return sample(l, rng.split(++draws * 1_000 + l));
    }

    private boolean[] sample(int l, Rng r) {
        float[] s = scores(l);
        boolean[] m = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            m[i] = r.nextFloat() < sigmoid(s[i]);
        }
        return m;
    }

    @Override
    protected void scoreGradient(int l, float[] g, float[] out) {
        float[] w0 = fixed.get(l), s = scores(l);
        for (int i = 0; i < g.length; i++) {
            double p = sigmoid(s[i]);
            out[i] = (float) (g[i] * w0[i] * p * (1 - p));
        }
    }

    @Override
    public void beforeEvaluation(long iteration, Model model) {
        training = new boolean[weights.size()][];
        for (int l = 0; l < weights.size(); l++) {
            training[l] = weights.get(l).mask().toArray();
            if (evaluation == Evaluation.EXPECTED) {
                float[] s = scores(l), w0 = fixed.get(l), v = new float[s.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (w0[i] * sigmoid(s[i]));
                }
                applyDense(l, v);
            } else {
                apply(l, sample(l, rng.split(-1 - iteration).split(l)));
            }
        }
    }

    @Override
    public void afterEvaluation(long iteration, Model model) {
        if (iteration == iterations) {
            return;
        }
        for (int l = 0; l < weights.size(); l++) {
            apply(l, training[l]);
        }
        training = null;
    }

    /** The expected fraction of connections kept, the mean of sigmoid(score) over every weight. */
    public double expectedDensity() {
        double sum = 0;
        long n = 0;
        for (int l = 0; l < weights.size(); l++) {
            for (float s : scores(l)) {
                sum += sigmoid(s);
            }
            n += weights.get(l).size();
        }
        return sum / n;
    }
}
