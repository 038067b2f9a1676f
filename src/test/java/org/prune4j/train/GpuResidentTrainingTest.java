package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.TransferCounter;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.nn.Sgd;

/**
 * A whole training run on the GPU (every layer type, masked dense and sparse weights, momentum
 * SGD, evaluation) against the same run on the CPU, and the copies each step makes: the batch
 * in, nothing else. Skipped with the reason where no GPU is usable.
 */
@Tag("gpu")
@Tag("gpu-training")
class GpuResidentTrainingTest {

    @AfterAll
    static void close() {
        org.prune4j.backend.GpuKernelsTestAccess.closeAll();
    }

    private static List<float[]> train(Backend be, List<TransferCounter.Snapshot> perStep) {
        return ResidentTrainingTest.train(be, new Sgd(0.9, false, 0), 0.02, perStep);
    }

    @Test
    void aRunOnTheGpuMatchesTheCpuAndCopiesOnlyItsBatches() {
        Backend gpu = org.prune4j.backend.GpuKernelsTestAccess.backend("cuda");
        List<TransferCounter.Snapshot> steps = new ArrayList<>();
        List<float[]> g = train(gpu, steps);
        List<float[]> c = train(new CpuBackend(new JavaGemm()), new ArrayList<>());
        for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < g.get(i).length; j++) {
                float a = c.get(i)[j], b = g.get(i)[j];
                assertTrue(Math.abs(a - b) <= 1e-4 * (1 + Math.abs(a)), "parameter " + i + "[" + j + "]: cpu " + a
                        + ", gpu " + b);
            }
        }
        for (int i = 1; i < steps.size(); i++) {
            if (i != 5 && i != 10) {
                assertEquals(2, steps.get(i).toDevice(), "step " + (i + 1) + ": " + steps.get(i));
                assertEquals(0, steps.get(i).toHost(), "step " + (i + 1) + ": " + steps.get(i));
            }
        }
    }
}
