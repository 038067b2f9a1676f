package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class ModelsTest {
    private final Rng rng = new Rng(System.nanoTime());

    @Test
    void literatureModelsHaveTheirPublishedWeightCounts() {
        // LeNet-300-100: 784*300 + 300*100 + 100*10 weights (Frankle & Carbin, Figure 2)
        assertEquals(266_200, Models.create("lenet300", 1, 28, 28, 10, rng).weightCount());
        // Conv-2 on 28x28x1: 3x3x1x64 + 3x3x64x64 + (14*14*64)*256 + 256*256 + 256*10
        assertEquals(576 + 36_864 + 3_211_264 + 65_536 + 2_560, Models.create("conv2", 1, 28, 28, 10, rng).weightCount());
        // LeNet-5: 5x5x1x6 + 5x5x6x16 + 400*120 + 120*84 + 84*10
        assertEquals(150 + 2_400 + 48_000 + 10_080 + 840, Models.create("lenet5", 1, 28, 28, 10, rng).weightCount());
    }

    @Test
    void everyModelMapsABatchToClassScores() {
        var be = new CpuBackend(CpuBackend.bestGemm());
        for (String name : Models.NAMES) {
            Model m = Models.create(name, 1, 28, 28, 10, rng);
            Tensor y = m.forward(Tensor.uniform(rng, -1, 1, 2, 1, 28, 28), Pass.eval(be));
            assertArrayEquals(new int[] {2, 10}, y.shape(), name);
            assertTrue(y.firstNonFinite() < 0, name);
            // the model's initialiser: Glorot std sqrt(2 / (fan_in + fan_out)), He std sqrt(2 / fan_in)
            Parameter w = m.prunable().get(0);
            double sq = 0;
            for (float v : w.value().data()) {
                sq += v * v;
            }
            double std = Math.sqrt(sq / w.size());
            assertEquals(m.initialiser().std(w.fanIn(), w.fanOut()), std, 0.1 * std + 0.02, name);
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Models.create("lenet300", 1, 28, 28, 10, rng).forward(Tensor.zeros(2, 3, 28, 28), Pass.eval(be)))
                .getMessage();
        assertTrue(msg.contains("expects batch x [1, 28, 28]"), msg);
    }
}
