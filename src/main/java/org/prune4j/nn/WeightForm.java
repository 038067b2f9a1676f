package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.tensor.Tensor;

/**
 * A sparsity regulariser's replacement for a layer's weight product while it trains
 * ({@link WeightedLayer#useForm}): targeted weight dropout, variational dropout's local
 * reparameterisation, hard-concrete gates. In a training pass it computes the stochastic
 * product and, in backward, the weight's gradient plus the gradients of its own
 * {@link #auxiliary} tensors, penalty included; in an evaluation pass the product of the
 * network the method will end in, {@code W * testGates}. When training ends the layer goes back
 * to the plain product on the weight times {@link #testGates}, masked where they are zero, so
 * nothing of the form stays in the inference path.
 *
 * <p>Everything is computed by the backend, on tensors in its memory; the products are the
 * backend's GEMMs in the layer's layout (batch-major {@code y = x W^T}, feature-major
 * {@code y = W x}).
 */
public abstract class WeightForm {
    final Parameter weight;
    final ActivationLayout layout;

    protected WeightForm(WeightedLayer layer) {
        this.weight = layer.weight();
        this.layout = layer.layout();
        if (weight.mask() != null) {
            throw new IllegalArgumentException(weight.name() + " already has a mask; a sparsity regulariser trains the "
                    + "whole layer and ends in its own mask: start it from an unpruned network");
        }
    }

    /** The weight this form computes with. */
    public final Parameter weight() {
        return weight;
    }

    /** y for input x: the stochastic training product, or the test-time one in an evaluation pass. */
    public abstract Tensor forward(Tensor x, Pass pass);

    /** Writes the weight's and the auxiliary tensors' gradients (penalty included) and returns dL/dx when wanted. */
    public abstract Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient);

    /** The tensors this form trains beside the weight (none for targeted dropout). */
    public List<Parameter> auxiliary() {
        return List.of();
    }

    /**
     * What each weight is multiplied by in the network the method ends in, weight-shaped, on
     * {@code backend}: 0 where it is pruned, 1 (or a hard-concrete gate's expected value) where
     * it stays.
     */
    public abstract Tensor testGates(Backend backend);

    /** The weight's values in {@code be}'s memory. */
    protected final Tensor w(Backend be) {
        return weight.resident(be);
    }

    /** The weight's gradient in {@code be}'s memory; the form writes all of it. */
    protected final Tensor gradW(Backend be) {
        weight.gradWrittenDense();
        return weight.residentGrad(be);
    }

    protected static Tensor value(Parameter p, Backend be) {
        return p.resident(be);
    }

    protected static Tensor gradient(Parameter p, Backend be) {
        return p.residentGrad(be);
    }

    private boolean batchMajor() {
        return layout == ActivationLayout.BATCH_MAJOR;
    }

    /** A buffer shaped like the activations of {@code features} features for the examples of {@code like}. */
    protected final Tensor activation(Pass pass, String name, int features, Tensor like) {
        int n = batchMajor() ? like.rows() : like.cols();
        return batchMajor() ? pass.buffer(this, name, n, features) : pass.buffer(this, name, features, n);
    }

    /** A weight-shaped buffer. */
    protected final Tensor weightShaped(Pass pass, String name) {
        return pass.buffer(this, name, weight.shape());
    }

    /** {@code y = x m^T} (batch-major) or {@code y = m x}, for a weight-shaped {@code m}, into buffer {@code name}. */
    protected final Tensor product(Pass pass, String name, Tensor m, Tensor x) {
        Tensor y = activation(pass, name, weight.shape()[0], x);
        if (batchMajor()) {
            pass.backend().gemm(Op.N, Op.T, 1f, x, m, 0f, y);
        } else {
            pass.backend().gemm(Op.N, Op.N, 1f, m, x, 0f, y);
        }
        return y;
    }

    /** The gradient of a weight-shaped factor of {@link #product} from dL/dy, written into {@code g}. */
    protected final void weightGradient(Backend be, Tensor dy, Tensor x, Tensor g) {
        if (batchMajor()) {
            be.gemm(Op.T, Op.N, 1f, dy, x, 0f, g);
        } else {
            be.gemm(Op.N, Op.T, 1f, dy, x, 0f, g);
        }
    }

    /** dL/dx of {@link #product} with the weight-shaped {@code m}, into buffer {@code name}. */
    protected final Tensor inputGradient(Pass pass, String name, Tensor dy, Tensor m) {
        Tensor dx = activation(pass, name, weight.shape()[1], dy);
        if (batchMajor()) {
            pass.backend().gemm(Op.N, Op.N, 1f, dy, m, 0f, dx);
        } else {
            pass.backend().gemm(Op.T, Op.N, 1f, m, dy, 0f, dx);
        }
        return dx;
    }

    /** A short description for labels and logs. */
    public abstract String describe();
}
