package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * What Linear and Conv2d share: a masked weight (outputs x inputs) and a bias applied to a
 * matrix of input rows, {@code y = x W^T + b}, through the dense-or-sparse {@link WeightProduct}.
 * Subclasses only say how their input becomes rows (identity; im2col) and back.
 */
abstract class AffineLayer implements WeightedLayer {
    protected final Parameter weight;
    protected final Parameter bias;
    private final WeightProduct product;

    AffineLayer(String name, int outputs, int inputs, int fanIn, int fanOut) {
        this.weight = new Parameter(name + ".weight", Parameter.Kind.WEIGHT, Tensor.zeros(outputs, inputs), fanIn, fanOut);
        this.bias = new Parameter(name + ".bias", Parameter.Kind.BIAS, Tensor.zeros(outputs), fanIn, fanOut);
        this.product = new WeightProduct(weight);
    }

    /** {@code rows W^T + b}. */
    final Tensor affine(Tensor rows, Pass pass) {
        Tensor y = product.forward(rows, pass);
        Backend be = pass.backend();
        be.addRowVector(y, bias.resident(be));
        return y;
    }

    /** Sets the weight and bias gradients from dL/dy and returns dL/d(rows), or null when not wanted. */
    final Tensor affineBackward(Tensor dy, Tensor rows, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        be.sumRows(dy, bias.residentGrad(be));
        return product.backward(dy, rows, pass, inputGradient);
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
    public final boolean sparseKernel() {
        return product.isSparse();
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of(weight, bias);
    }
}
