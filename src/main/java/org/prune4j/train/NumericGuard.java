package org.prune4j.train;

import java.util.Locale;
import org.prune4j.backend.Backend;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Slot;
import org.prune4j.tensor.Tensor;

/**
 * Decides at each evaluation point whether training has diverged. It runs where the trainer
 * already reads its loss sums back, so it adds no copy to a step: weights and gradients are
 * counted where they live and only the counts come back; values are brought to host memory
 * only to name the first bad one once training has already failed.
 *
 * <p>The rule: training has diverged when, over the interval since the last evaluation point,
 * <ul>
 *   <li>any example's loss was not finite, or any weight or gradient is not finite; or</li>
 *   <li>the mean training loss exceeds {@code max(10 L0, L0 + 10)}, where {@code L0} is the
 *   loss of the model before training (its validation loss, else its test loss, else ln of
 *   the class count). Cross-entropy starts near ln(classes), 2.3 for ten classes, so the bound is
 *   about 23: a model that far above its starting point is guessing worse than at random, which
 *   no learning rate that works produces for a whole interval.</li>
 * </ul>
 */
final class NumericGuard {
    static final double FACTOR = 10;
    static final double MARGIN = 10;

    private final double initialLoss;

    NumericGuard(double initialLoss) {
        this.initialLoss = initialLoss;
    }

    /** L0: the first evaluation's validation loss, else its test loss, else ln(classes). */
    static NumericGuard from(EvalPoint start, int classes) {
        double l0 = Double.isFinite(start.valLoss()) ? start.valLoss()
                : Double.isFinite(start.testLoss()) ? start.testLoss() : Math.log(Math.max(2, classes));
        return new NumericGuard(l0);
    }

    double bound() {
        return Math.max(FACTOR * initialLoss, initialLoss + MARGIN);
    }

    /**
     * Throws {@link TrainingDivergedException} when the interval {@code (from, to]} diverged.
     * {@code meanLoss} and {@code nonFiniteRows} are the trainer's sums; {@code lr} the last learning rate.
     */
    void check(Model model, Backend backend, long from, long to, double meanLoss, long nonFiniteRows, double lr) {
        String where = "training diverged between iterations " + from + " and " + to + ": ";
        String fix = String.format(Locale.ROOT, "; lower the learning rate (it was %.3g)", lr);
        String bad = firstNonFinite(model, backend);
        if (nonFiniteRows > 0 || !Double.isFinite(meanLoss)) {
            throw new TrainingDivergedException(to, where + (nonFiniteRows > 0 ? "the loss of " + nonFiniteRows
                    + " examples was not finite" : "the mean training loss is " + meanLoss)
                    + (bad != null ? "; " + bad : "; every weight and gradient is finite, so the activations overflowed")
                    + fix);
        }
        if (bad != null) {
            throw new TrainingDivergedException(to, where + bad + fix);
        }
        if (meanLoss > bound()) {
            throw new TrainingDivergedException(to, where + String.format(Locale.ROOT, "the mean training loss %.4g"
                    + " exceeds %.4g, the bound max(%.0fx, +%.0f) of the loss before training (%.4g)", meanLoss, bound(),
                    FACTOR, MARGIN, initialLoss) + fix);
        }
    }

    /** "fc1.weight[3, 17] is NaN" for the first non-finite weight or gradient, or null when all are finite. */
    static String firstNonFinite(Model model, Backend backend) {
        for (Parameter p : model.parameters()) {
            if (count(p.current(), p.currentBackend()) > 0) {
                return describe(p.name(), p.value());
            }
        }
        for (Parameter p : model.parameters()) {
            if (!p.trainable() || p.kind() == Parameter.Kind.BUFFER) {
                continue;
            }
            Slot s = p.slot(backend);
            if (s.grad() != null && count(s.grad(), s.backend()) > 0) {
                return describe("the gradient of " + p.name(), p.grad());
            }
        }
        return null;
    }

    /** Non-finite entries of {@code t}, counted where it lives. */
    private static long count(Tensor t, Backend home) {
        if (t.isHost()) {
            return t.firstNonFinite() >= 0 ? 1 : 0;
        }
        Tensor acc = home.allocate(1);
        try {
            home.countNonFinite(t, acc);
            return (long) acc.toHost().data()[0];
        } finally {
            acc.storage().release();
        }
    }

    private static String describe(String what, Tensor host) {
        int i = host.firstNonFinite();
        if (i < 0) {
            return what + " has non-finite values";
        }
        String at = host.isMatrix() ? "[" + i / host.cols() + ", " + i % host.cols() + "]" : "[" + i + "]";
        return what + at + " is " + host.data()[i];
    }
}
