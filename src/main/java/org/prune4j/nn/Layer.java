package org.prune4j.nn;

import java.util.List;
import org.prune4j.tensor.Tensor;

/**
 * One layer. {@link #forward} keeps what {@link #backward} needs; backward accumulates nothing:
 * it overwrites the gradients of the layer's parameters and returns the input gradient. Outputs
 * come from the pass's workspace: with a caching workspace they are overwritten by the next
 * pass, so read them before running another.
 */
public interface Layer {

    Tensor forward(Tensor x, Pass pass);

    /** Given dL/d(output), sets the parameter gradients and returns dL/d(input). */
    default Tensor backward(Tensor dy) {
        return backward(dy, true);
    }

    /**
     * As {@link #backward(Tensor)}; with {@code inputGradient} false the layer may skip dL/d(input)
     * and return null (the first layers of a model: nothing upstream needs it).
     */
    Tensor backward(Tensor dy, boolean inputGradient);

    /** Parameters and buffers, in a fixed order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** The output shape for one example of the given shape (no batch dimension). */
    int[] outputShape(int[] inputShape);

    /**
     * Calls {@code visitor} with each plain layer inside this one and its input shape (one
     * example), in the order data meets them; a plain layer visits itself. A composite layer
     * (a residual block) shows its members, so a model finds every weight product in it.
     */
    default void forEachLeaf(int[] inputShape, java.util.function.BiConsumer<Layer, int[]> visitor) {
        visitor.accept(this, inputShape);
    }

    /** A short description, such as {@code Linear(784 -> 300)}. */
    String describe();
}
