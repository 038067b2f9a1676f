package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/** Parameter counts and multiply-adds worked out by hand for LeNet-300-100 and LeNet-5. */
class NetworkCostTest {
    @Test
    void lenet300ByHand() {
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(1));
        NetworkCost c = NetworkCost.of(m);
        // 784*300 + 300*100 + 100*10 weights, 300 + 100 + 10 biases
        assertEquals(266_200 + 410, c.parameters());
        assertEquals(266_200, c.denseMacs());
        assertEquals(c.denseMacs(), c.sparseMacs());
        m.parameter("fc2.weight").setMask(Mask.randomCount(100, 300, 3000, new Rng(2)));
        NetworkCost pruned = NetworkCost.of(m);
        assertEquals(266_200 - 27_000, pruned.sparseMacs());
        assertEquals(266_200 + 410 - 27_000, pruned.liveParameters());
        assertEquals(3000, pruned.layers().get("fc2.weight").kept());
    }

    @Test
    void convolutionsCountEveryOutputPosition() {
        Model m = Models.create("lenet5", 1, 28, 28, 10, new Rng(1));
        NetworkCost c = NetworkCost.of(m);
        // conv1 5x5 pad 2: 6 filters of 25 at 28x28; conv2 5x5 valid on 14x14: 16 of 150 at 10x10;
        // fc1 16*5*5 -> 120, fc2 120 -> 84, fc3 84 -> 10
        assertEquals(6L * 25 * 28 * 28, c.layers().get("conv1.weight").denseMacs());
        assertEquals(16L * 150 * 10 * 10, c.layers().get("conv2.weight").denseMacs());
        assertEquals(6L * 25 * 784 + 16L * 150 * 100 + 400 * 120 + 120 * 84 + 84 * 10, c.denseMacs());
        assertEquals(150 + 6 + 2400 + 16 + 48_000 + 120 + 10_080 + 84 + 840 + 10, c.parameters());
    }
}
