package org.prune4j.nn;

import java.util.List;
import org.prune4j.tensor.Tensor;

/** Fully connected layer {@code y = x W^T + b}, W stored outputs x inputs. */
public final class Linear implements WeightedLayer {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final WeightProduct product;
    private Tensor x;
    private Pass pass;

    public Linear(String name, int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": Linear sizes must be positive, got " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight", Parameter.Kind.WEIGHT, Tensor.zeros(out, in), in, out);
        this.bias = new Parameter(name + ".bias", Parameter.Kind.BIAS, Tensor.zeros(out), in, out);
        this.product = new WeightProduct(weight);
    }

    @Override
    public Tensor forward(Tensor input, Pass p) {
        if (!input.isMatrix() || input.cols() != in) {
            throw new IllegalArgumentException(weight.name() + " expects batch x " + in + " input, got "
                    + input.shapeString());
        }
        x = input;
        pass = p;
        Tensor y = product.forward(input, p.backend());
        p.backend().addRowVector(y, bias.value());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        product.backwardWeight(dy, x, pass.backend());
        pass.backend().sumRows(dy, bias.grad());
        return product.backwardInput(dy, pass.backend());
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public String chooseKernel(KernelPolicy policy) {
        return product.choose(policy);
    }

    @Override
    public boolean sparseKernel() {
        return product.isSparse();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new IllegalArgumentException(weight.name() + " expects " + in + " features, got "
                    + java.util.Arrays.toString(inputShape) + "; put a Flatten before it");
        }
        return new int[] {out};
    }

    @Override
    public String describe() {
        return "Linear(" + in + " -> " + out + ")";
    }
}
