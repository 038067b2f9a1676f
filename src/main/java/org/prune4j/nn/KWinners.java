package org.prune4j.nn;

import java.util.Arrays;
import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Boosting;
import org.prune4j.tensor.Tensor;

/**
 * k-winners-take-all with boosting (Ahmad and Scheinkman 2019, "How can we be so dense?"): each
 * example keeps its k largest boosted activations and zeroes the rest, in place of a ReLU. After
 * a linear layer the units are its outputs; after a convolution they are its channels and the k
 * winners are chosen over the whole C x H x W volume of the image, as in the paper's CNNs. The
 * gradient flows through the winners only.
 *
 * <p>Boosting keeps every unit in use: a running duty cycle per unit (the share of recent
 * examples it won, per position for a channel) scales its values by
 * {@code exp(strength * (k / volume - dutyCycle))} for the choice only; the outputs are the
 * un-boosted values. Duty cycles and the count of training examples seen (which sets the
 * strength's decay) are buffers, so checkpoints keep them; only training passes update them.
 * Evaluation may choose {@code kEvaluation} winners and boost or not: the authors' code keeps
 * boosting at its decayed strength and takes 1.5 k winners at evaluation.
 */
public final class KWinners implements Layer {
    private final String name;
    private final int units;
    private final int k;
    private int kEvaluation;
    private final Boosting boost;
    private boolean boostAtEvaluation;
    private final Parameter dutyCycle;
    private final Parameter seen;
    private Tensor winners;
    private Pass pass;
    private int spatial = 1;

    /**
     * @param units             features of a linear layer's output, or channels of a convolution's
     * @param k                 winners per example in training
     * @param kEvaluation       winners per example in evaluation
     * @param boostAtEvaluation whether evaluation passes boost (at the strength training reached)
     */
    public KWinners(String name, int units, int k, int kEvaluation, Boosting boost, boolean boostAtEvaluation) {
        if (units <= 0 || k <= 0 || kEvaluation <= 0) {
            throw new IllegalArgumentException(name + ": k-winners needs positive units, k and evaluation k, got "
                    + units + ", " + k + " and " + kEvaluation);
        }
        this.name = name;
        this.units = units;
        this.k = k;
        this.kEvaluation = kEvaluation;
        this.boost = java.util.Objects.requireNonNull(boost, "boost (Boosting.NONE for none)");
        this.boostAtEvaluation = boostAtEvaluation;
        dutyCycle = new Parameter(name + ".duty_cycle", Parameter.Kind.BUFFER, Tensor.zeros(units), 1, 1);
        seen = new Parameter(name + ".seen", Parameter.Kind.BUFFER, Tensor.zeros(1), 1, 1);
    }

    public String name() {
        return name;
    }

    public int k() {
        return k;
    }

    public int kEvaluation() {
        return kEvaluation;
    }

    public Boosting boost() {
        return boost;
    }

    public boolean boostsAtEvaluation() {
        return boostAtEvaluation;
    }

    /**
     * Changes how evaluation passes choose winners, for measuring a trained network under
     * another rule than it was built with (the paper's 1.5 k and boosting against plain k);
     * training is unaffected.
     */
    public void setEvaluation(int winners, boolean boosted) {
        if (winners <= 0 || winners > units * volumePerUnit()) {
            throw new IllegalArgumentException(name + ": evaluation k must be in 1.." + units * volumePerUnit()
                    + ", got " + winners);
        }
        kEvaluation = winners;
        boostAtEvaluation = boosted;
    }

    /** Positions per unit, known once a model has checked its input shape (1 before). */
    private int volumePerUnit() {
        return spatial;
    }

    /** The running duty cycles, one per unit (a host copy). */
    public float[] dutyCycles() {
        return dutyCycle.value().data().clone();
    }

    /** Training examples this layer has seen. */
    public long examplesSeen() {
        return (long) seen.value().data()[0];
    }

    @Override
    public Tensor forward(Tensor x, Pass p) {
        int[] s = x.shape();
        if ((s.length != 2 && s.length != 4) || s[1] != units) {
            throw new IllegalArgumentException(name + " expects batch x " + units + " [x H x W], got "
                    + x.shapeString());
        }
        pass = p;
        Backend be = p.backend();
        Tensor y = p.buffer(this, "y", s);
        winners = p.buffer(this, "winners", s);
        boolean training = p.training();
        Boosting b = training || boostAtEvaluation ? boost : boost.off();
        be.kWinners(x, units, training ? k : kEvaluation, b, training, dutyCycle.resident(be), seen.resident(be), y,
                winners);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor dx = pass.buffer(this, "dx", dy.shape());
        pass.backend().mul(dy, winners, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(dutyCycle, seen);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if ((inputShape.length != 1 && inputShape.length != 3) || inputShape[0] != units) {
            throw new IllegalArgumentException(name + " is for " + units + " units [x H x W], got input "
                    + Arrays.toString(inputShape));
        }
        int volume = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        spatial = volume / units;
        if (Math.max(k, kEvaluation) > volume) {
            throw new IllegalArgumentException(name + ": k " + k + " and evaluation k " + kEvaluation
                    + " must not exceed the " + volume + " values per example");
        }
        return inputShape.clone();
    }

    @Override
    public String describe() {
        return "KWinners(" + k + (kEvaluation == k ? "" : "/" + kEvaluation) + " of " + units
                + (boost.strength() == 0 ? "" : ", boost " + boost.strength()) + ")";
    }
}
