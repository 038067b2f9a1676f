package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * Targeted weight dropout (Gomez, Zhang, Kamalakara, Madaan, Swersky, Gal and Hinton,
 * "Learning Sparse Networks Using Targeted Dropout", 2019): in every training step each output
 * unit's {@code floor(gamma * inputs)} weights of smallest magnitude are the candidates, and
 * each candidate is dropped with probability {@code alpha} ({@link
 * org.prune4j.backend.TrainingOps#targetedDropoutKeep}). The network learns not to rely on what
 * it will lose, so pruning the candidates afterwards costs little. Evaluation runs the pruned
 * network (every candidate dropped), as the authors' code does. Dropped weights get no gradient
 * from the step; there is no rescaling of the rest, as in the paper.
 */
public final class TargetedWeightDropout extends WeightForm {
    private final double gamma;
    private final float alpha;
    /** floor(gamma * inputs), in double: a float gamma of 0.9 would make it 269 of 300. */
    private final int candidates;
    private Tensor keep;
    private Tensor effective;

    public TargetedWeightDropout(WeightedLayer layer, double gamma, double alpha) {
        super(layer);
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("targeted dropout's targeted fraction gamma must be in (0, 1), got "
                    + gamma + " (Gomez et al. target 0.5-0.99 of each unit's weights)");
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("targeted dropout's drop rate alpha must be in (0, 1], got " + alpha
                    + " (Gomez et al. use 0.5 and up)");
        }
        this.gamma = gamma;
        this.alpha = (float) alpha;
        this.candidates = (int) Math.floor(gamma * weight.shape()[1]);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Backend be = pass.backend();
        keep = weightShaped(pass, "keep");
        long seed = pass.training() ? pass.rng().nextLong() : 0;
        be.targetedDropoutKeep(w(be), candidates, pass.training() ? alpha : 1f, seed, keep);
        effective = weightShaped(pass, "effective");
        be.mul(w(be), keep, effective);
        return product(pass, "y", effective, x);
    }

    @Override
    public Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor g = gradW(be);
        weightGradient(be, dy, x, g);
        be.mul(g, keep, g);
        return inputGradient ? inputGradient(pass, "dx", dy, effective) : null;
    }

    @Override
    public Tensor testGates(Backend backend) {
        Tensor gates = backend.allocate(weight.shape());
        backend.targetedDropoutKeep(w(backend), candidates, 1f, 0, gates);
        return gates;
    }

    @Override
    public String describe() {
        return "targeted dropout (gamma " + gamma + ", alpha " + alpha + ")";
    }
}
