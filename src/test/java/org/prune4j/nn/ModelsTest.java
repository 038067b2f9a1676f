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
    void theSparseNetworksOfAhmadAndScheinkmanHaveTheirShapesMasksAndWinners() {
        // Sparse CNN-2 on 28x28: 5x5x1x32 + 5x5x32x64 + (64*4*4)*700 + 700*10; Dense CNN-2 with 30, 30, 1000
        Model cnn = Models.create("kwta-cnn", 1, 28, 28, 10, rng);
        assertEquals(800 + 51_200 + 716_800 + 7_000, cnn.weightCount());
        assertEquals(750 + 22_500 + 480_000 + 10_000, Models.create("dense-cnn", 1, 28, 28, 10, rng).weightCount());
        // the authors' k: 400 of 32x12x12, 300 of 64x4x4, 100 of 700; 1.5 times as many in evaluation
        int[][] ks = cnn.layers().stream().filter(KWinners.class::isInstance).map(KWinners.class::cast)
                .map(k -> new int[] {k.k(), k.kEvaluation()}).toArray(int[][]::new);
        assertArrayEquals(new int[][] {{400, 600}, {300, 450}, {100, 150}}, ks);
        // 30% of each hidden unit's inputs, the same count for every unit; convolutions and output dense
        for (String name : new String[] {"kwta-mlp", "kwta-cnn"}) {
            Model m = Models.create(name, 1, 28, 28, 10, rng);
            for (Parameter p : m.prunable()) {
                if (!p.name().equals("fc1.weight")) {
                    assertEquals(null, p.mask(), name + " " + p.name());
                    continue;
                }
                int rows = p.shape()[0], cols = p.shape()[1], keep = (int) Math.round(0.3 * cols);
                for (int r = 0; r < rows; r++) {
                    int kept = 0;
                    for (int c = 0; c < cols; c++) {
                        boolean k = p.mask().kept(r, c);
                        kept += k ? 1 : 0;
                        assertTrue(k || p.value().get(r, c) == 0f);
                    }
                    assertEquals(keep, kept, name + " row " + r);
                }
            }
        }
        // the mask is part of the model a seed creates: the same seed, the same mask
        assertEquals(Models.create("kwta-mlp", 1, 28, 28, 10, new Rng(5)).parameter("fc1.weight").mask(),
                Models.create("kwta-mlp", 1, 28, 28, 10, new Rng(5)).parameter("fc1.weight").mask());
    }

    @Test
    void everyModelMapsABatchToClassScores() {
        var be = new CpuBackend(CpuBackend.bestGemm());
        for (String name : Models.NAMES) {
            Model m = Models.create(name, 1, 28, 28, 10, rng);
            Tensor y = m.forward(Tensor.uniform(rng, -1, 1, 2, 1, 28, 28), Pass.eval(be));
            assertArrayEquals(new int[] {2, 10}, y.shape(), name);
            assertTrue(y.firstNonFinite() < 0, name);
            // the model's initialiser (Glorot or He) over the weights the mask keeps
            Parameter w = m.prunable().get(0);
            double sq = 0;
            for (float v : w.value().data()) {
                sq += v * v;
            }
            double std = Math.sqrt(sq / w.alive());
            assertEquals(m.initialiser().std(w.fanIn(), w.fanOut()), std, 0.1 * std + 0.02, name);
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Models.create("lenet300", 1, 28, 28, 10, rng).forward(Tensor.zeros(2, 3, 28, 28), Pass.eval(be)))
                .getMessage();
        assertTrue(msg.contains("expects batch x [1, 28, 28]"), msg);
    }
}
