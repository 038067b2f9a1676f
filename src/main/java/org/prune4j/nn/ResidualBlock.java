package org.prune4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * {@code relu(main(x) + shortcut(x))}, the block of residual networks (He et al. 2016): the main
 * path is a short stack (convolution, BatchNorm, ReLU, convolution, BatchNorm), the shortcut is
 * the identity or a projection (a strided 1x1 convolution and BatchNorm) where the main path
 * changes the shape. Its layers are ordinary layers, so their weights are pruned, stored sparse
 * and trained on the same kernels as anywhere else; {@link #forEachLeaf} shows them to the model.
 */
public final class ResidualBlock implements Layer {
    private final String name;
    private final List<Layer> main;
    private final List<Layer> shortcut;
    private final ReLU out = new ReLU();
    private Pass pass;

    /** {@code shortcut} empty means the identity. */
    public ResidualBlock(String name, List<Layer> main, List<Layer> shortcut) {
        if (main.isEmpty()) {
            throw new IllegalArgumentException(name + ": a residual block needs at least one layer on its main path");
        }
        this.name = name;
        this.main = List.copyOf(main);
        this.shortcut = List.copyOf(shortcut);
        List<String> seen = new ArrayList<>();
        for (Parameter p : parameters()) {
            if (seen.contains(p.name())) {
                throw new IllegalArgumentException(name + ": two parameters are named " + p.name());
            }
            seen.add(p.name());
        }
    }

    public String name() {
        return name;
    }

    /** The main path's layers, in order. */
    public List<Layer> main() {
        return main;
    }

    /** The shortcut's layers, in order; empty for the identity. */
    public List<Layer> shortcut() {
        return shortcut;
    }

    @Override
    public Tensor forward(Tensor x, Pass p) {
        pass = p;
        Tensor h = x;
        for (Layer l : main) {
            h = l.forward(h, p);
        }
        Tensor s = x;
        for (Layer l : shortcut) {
            s = l.forward(s, p);
        }
        if (!Arrays.equals(h.shape(), s.shape())) {
            throw new IllegalArgumentException(name + ": the main path gives " + h.shapeString()
                    + " but the shortcut " + s.shapeString() + "; a block that changes the shape needs a projection");
        }
        Backend be = p.backend();
        Tensor sum = p.buffer(this, "sum", h.shape());
        be.copy(h, sum);
        be.axpy(1f, s, sum);
        return out.forward(sum, p);
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor g = out.backward(dy);
        Tensor gMain = backward(main, g, inputGradient);
        Tensor gShortcut = backward(shortcut, g, inputGradient);
        if (!inputGradient) {
            return null;
        }
        Tensor dx = pass.buffer(this, "dx", gMain.shape());
        Backend be = pass.backend();
        be.copy(gMain, dx);
        be.axpy(1f, gShortcut, dx);
        return dx;
    }

    /** Backpropagates through one path; its first layer computes an input gradient only if one is wanted. */
    private static Tensor backward(List<Layer> path, Tensor g, boolean inputGradient) {
        for (int i = path.size() - 1; i >= 0; i--) {
            g = path.get(i).backward(g, i > 0 || inputGradient);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        main.forEach(l -> ps.addAll(l.parameters()));
        shortcut.forEach(l -> ps.addAll(l.parameters()));
        return List.copyOf(ps);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] h = inputShape;
        for (Layer l : main) {
            h = l.outputShape(h);
        }
        int[] s = inputShape;
        for (Layer l : shortcut) {
            s = l.outputShape(s);
        }
        if (!Arrays.equals(h, s)) {
            throw new IllegalArgumentException(name + ": for input " + Arrays.toString(inputShape) + " the main path "
                    + "gives " + Arrays.toString(h) + " but the shortcut " + Arrays.toString(s)
                    + "; a block that changes the shape needs a projection");
        }
        return h;
    }

    /** The main path's layers, then the shortcut's, each with its input shape. */
    @Override
    public void forEachLeaf(int[] inputShape, BiConsumer<Layer, int[]> visitor) {
        int[] s = inputShape;
        for (Layer l : main) {
            l.forEachLeaf(s, visitor);
            s = l.outputShape(s);
        }
        s = inputShape;
        for (Layer l : shortcut) {
            l.forEachLeaf(s, visitor);
            s = l.outputShape(s);
        }
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("Residual[");
        for (int i = 0; i < main.size(); i++) {
            b.append(i == 0 ? "" : " > ").append(main.get(i).describe());
        }
        b.append(" | shortcut ");
        if (shortcut.isEmpty()) {
            b.append("identity");
        }
        for (int i = 0; i < shortcut.size(); i++) {
            b.append(i == 0 ? "" : " > ").append(shortcut.get(i).describe());
        }
        return b.append("]").toString();
    }
}
