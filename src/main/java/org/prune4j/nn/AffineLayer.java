package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * What Linear and Conv2d share: a masked weight (outputs x inputs) and a bias (left out before a
 * BatchNorm, whose shift makes it redundant, as residual networks and VGG on CIFAR do), applied through
 * the dense-or-sparse {@link WeightProduct} to activations in the subclass's layout (batch-major
 * rows for Linear, the feature-major im2col matrix for Conv2d). Subclasses only say how their
 * input becomes that matrix and back.
 */
abstract class AffineLayer implements WeightedLayer {
    protected final Parameter weight;
    protected final Parameter bias;
    private final WeightProduct product;

    AffineLayer(String name, int outputs, int inputs, int fanIn, int fanOut, ActivationLayout layout) {
        this(name, outputs, inputs, fanIn, fanOut, layout, true);
    }

    AffineLayer(String name, int outputs, int inputs, int fanIn, int fanOut, ActivationLayout layout,
            boolean withBias) {
        this.weight = new Parameter(name + ".weight", Parameter.Kind.WEIGHT, Tensor.zeros(outputs, inputs), fanIn, fanOut);
        this.bias = withBias ? new Parameter(name + ".bias", Parameter.Kind.BIAS, Tensor.zeros(outputs), fanIn, fanOut)
                : null;
        this.product = new WeightProduct(weight, layout);
    }

    /** The bias, or empty for a layer without one. */
    public final java.util.Optional<Parameter> bias() {
        return java.util.Optional.ofNullable(bias);
    }

    /** The product plus the bias, on the activation matrix in this layer's layout. */
    final Tensor affine(Tensor x, Pass pass) {
        Tensor y = product.forward(x, pass);
        Backend be = pass.backend();
        if (bias == null) {
            return y;
        }
        if (product.layout() == ActivationLayout.BATCH_MAJOR) {
            be.addRowVector(y, bias.resident(be));
        } else {
            be.addChannelBias(y, y.rows(), y.cols(), bias.resident(be));
        }
        return y;
    }

    /** Sets the weight and bias gradients from dL/dy and returns dL/dx, or null when not wanted. */
    final Tensor affineBackward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        if (bias == null) {
            return product.backward(dy, x, pass, inputGradient);
        }
        if (product.layout() == ActivationLayout.BATCH_MAJOR) {
            be.sumRows(dy, bias.residentGrad(be));
        } else {
            be.sumChannels(dy, dy.rows(), dy.cols(), bias.residentGrad(be));
        }
        return product.backward(dy, x, pass, inputGradient);
    }

    @Override
    public final ActivationLayout layout() {
        return product.layout();
    }

    @Override
    public final Parameter weight() {
        return weight;
    }

    @Override
    public final String chooseKernel(KernelPolicy policy, LayerShape shape) {
        return product.choose(policy, shape);
    }

    @Override
    public final void useSparseKernel(boolean sparse) {
        product.use(sparse);
    }

    @Override
    public final void useForm(WeightForm form) {
        product.useForm(form);
    }

    @Override
    public final boolean sparseKernel() {
        return product.isSparse();
    }

    @Override
    public final List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
