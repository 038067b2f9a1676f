package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * L0 regularisation with hard-concrete gates (Louizos, Welling and Kingma, "Learning Sparse
 * Neural Networks through L0 Regularization", ICLR 2018), one gate per weight: the layer
 * computes with {@code W * z}, where each training pass draws {@code z} from the hard-concrete
 * distribution of the gate's trained {@code log alpha} (one draw per weight and minibatch, beta
 * 2/3, stretched to (-0.1, 1.1) and clamped to [0, 1], so gates are exactly 0 or 1 with
 * non-zero probability), and the loss adds {@code lambda / N} times the expected number of
 * non-zero gates, which has a closed form ({@link
 * org.prune4j.backend.TrainingOps#hardConcretePenalty}). At test time a gate is
 * {@code min(1, max(0, sigmoid(log alpha) (zeta - gamma) + gamma))}: zero when
 * {@code log alpha <= -log 11}, and the method ends with those weights pruned and the rest
 * multiplied by their gates.
 */
public final class HardConcreteGates extends WeightForm {
    private final Parameter logAlpha;
    private final float penaltyScale;
    private Tensor z;
    private Tensor dz;
    private Tensor effective;

    /**
     * @param lambda      the penalty per expected non-zero gate, per training set (the paper's
     *                    LeNet-300-100: 0.1)
     * @param examples    the training-set size N: the penalty enters the per-example loss as lambda / N
     * @param initialDrop the probability that a gate starts closed, which sets the initial
     *                    {@code log alpha = log(1 - p) - log p} (the authors' code: 0.5)
     */
    public HardConcreteGates(WeightedLayer layer, double lambda, int examples, double initialDrop) {
        super(layer);
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("the L0 penalty lambda must be positive and finite, got " + lambda
                    + " (Louizos et al., LeNet-300-100: 0.1)");
        }
        if (examples <= 0) {
            throw new IllegalArgumentException("the L0 penalty is divided by the training-set size; got " + examples
                    + " examples");
        }
        if (!(initialDrop > 0 && initialDrop < 1)) {
            throw new IllegalArgumentException("the initial drop probability of the gates must be in (0, 1), got "
                    + initialDrop);
        }
        this.penaltyScale = (float) (lambda / examples);
        float init = (float) (Math.log(1 - initialDrop) - Math.log(initialDrop));
        this.logAlpha = new Parameter(weight.name() + ".log_alpha", Parameter.Kind.AUXILIARY,
                Tensor.filled(init, weight.shape()), weight.fanIn(), weight.fanOut());
    }

    public Parameter logAlpha() {
        return logAlpha;
    }

    @Override
    public List<Parameter> auxiliary() {
        return List.of(logAlpha);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Backend be = pass.backend();
        z = weightShaped(pass, "z");
        if (pass.training()) {
            dz = weightShaped(pass, "dz");
            be.hardConcreteGates(value(logAlpha, be), pass.rng().nextLong(), z, dz);
        } else {
            be.hardConcreteTestGates(value(logAlpha, be), z);
        }
        effective = weightShaped(pass, "effective");
        be.mul(w(be), z, effective);
        return product(pass, "y", effective, x);
    }

    @Override
    public Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor gEffective = weightShaped(pass, "g-effective");
        weightGradient(be, dy, x, gEffective);
        be.mul(gEffective, z, gradW(be));
        // d/d(log alpha) = g_eff * W * dz/d(log alpha), plus the penalty's
        Tensor ga = gradient(logAlpha, be);
        be.mul(gEffective, w(be), ga);
        be.mul(ga, dz, ga);
        Tensor l0 = pass.buffer(this, "l0", 1);
        be.fill(l0, 0f);
        be.hardConcretePenalty(value(logAlpha, be), penaltyScale, ga, l0);
        return inputGradient ? inputGradient(pass, "dx", dy, effective) : null;
    }

    @Override
    public Tensor testGates(Backend backend) {
        Tensor gates = backend.allocate(weight.shape());
        backend.hardConcreteTestGates(value(logAlpha, backend), gates);
        return gates;
    }

    @Override
    public String describe() {
        return "L0 hard-concrete gates";
    }
}
