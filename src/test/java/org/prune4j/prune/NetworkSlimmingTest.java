package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.tensor.Rng;
import org.prune4j.train.ScaleL1Penalty;

/** Network slimming's two halves by hand: the |gamma| channel score and the L1 step on the scales. */
class NetworkSlimmingTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    {
        System.out.println("NetworkSlimmingTest seed " + seed);
    }

    @Test
    void channelsScoreTheirBatchNormScaleAndTheBestScalesSurvive() {
        Model m = Models.create("mlp-bn", 1, 6, 6, 4, rng);
        float[] g1 = m.parameter("bn1.weight").value().data();
        float[] g2 = m.parameter("bn2.weight").value().data();
        for (int i = 0; i < g1.length; i++) {
            g1[i] = (i % 2 == 0 ? 1 : -1) * rng.uniform(0.01f, 1f);
        }
        for (int i = 0; i < g2.length; i++) {
            g2[i] = rng.uniform(-1f, 1f);
        }
        ScoringContext ctx = new ScoringContext(m, new CpuBackend(CpuBackend.bestGemm()), null, 1, 1, rng);
        Map<Parameter, float[]> s = new BatchNormScaleScore().scores(ctx);
        Parameter fc1 = m.parameter("fc1.weight"), fc3 = m.parameter("fc3.weight");
        int cols = fc1.value().cols();
        for (int i = 0; i < fc1.size(); i++) {
            assertEquals(Math.abs(g1[i / cols]), s.get(fc1)[i], 0f);
        }
        for (int i = 0; i < fc3.size(); i++) {
            assertEquals(Math.abs(fc3.value().data()[i]), s.get(fc3)[i], 0f, "the output layer scores |w|");
        }
        Pruner.prune(ctx, new BatchNormScaleScore(), new StructuredScope(new ChannelStructure(),
                new LayerwiseScope(1)), 0.5, 1);
        // fc1 keeps exactly the 150 neurons with the largest |gamma|
        float[] sorted = new float[g1.length];
        for (int i = 0; i < g1.length; i++) {
            sorted[i] = Math.abs(g1[i]);
        }
        java.util.Arrays.sort(sorted);
        float threshold = sorted[g1.length / 2];
        for (int i = 0; i < fc1.value().rows(); i++) {
            assertEquals(Math.abs(g1[i]) >= threshold, fc1.mask().kept(i, 0), "neuron " + i);
        }
    }

    @Test
    void aModelWithoutBatchNormIsRefusedByName() {
        Model m = Models.create("lenet300", 1, 6, 6, 4, rng);
        ScoringContext ctx = new ScoringContext(m, new CpuBackend(CpuBackend.bestGemm()), null, 1, 1, rng);
        String msg = assertThrows(IllegalArgumentException.class, () -> new BatchNormScaleScore().scores(ctx))
                .getMessage();
        assertTrue(msg.contains("fc1.weight") && msg.contains("mlp-bn"), msg);
    }

    @Test
    void theL1StepShrinksEveryScaleByLearningRateTimesLambdaAndStopsAtZero() {
        Model m = Models.create("mlp-bn", 1, 6, 6, 4, rng);
        float[] g = m.parameter("bn2.weight").value().data();
        float[] before = {0.5f, -0.5f, 0.0004f, 0f, -0.0009f};
        System.arraycopy(before, 0, g, 0, before.length);
        float[] bias = m.parameter("bn2.bias").value().data().clone();
        // lr 0.1 x lambda 0.01 = 0.001 per step
        new ScaleL1Penalty(0.01, LearningRate.constant(0.1)).afterStep(1, m);
        float[] after = java.util.Arrays.copyOf(m.parameter("bn2.weight").value().data(), before.length);
        assertArrayEquals(new float[] {0.499f, -0.499f, 0f, 0f, 0f}, after, 1e-7f);
        assertArrayEquals(bias, m.parameter("bn2.bias").value().data(), "shifts are not penalised");
        assertThrows(IllegalArgumentException.class, () -> new ScaleL1Penalty(0, LearningRate.constant(0.1)));
    }
}
