package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class OptimizerTest {
    private final Rng rng = new Rng(System.nanoTime());

    private static Parameter weight(float... w) {
        return new Parameter("w", Parameter.Kind.WEIGHT, Tensor.wrap(w.clone(), 1, w.length), w.length, 1);
    }

    @Test
    void sgdStepsByHand() {
        Parameter p = weight(1f, -2f);
        p.grad().data()[0] = 0.5f;
        p.grad().data()[1] = -1f;
        new Sgd(0, false, 0.1).step(List.of(p), 0.1);
        // w - lr (g + wd w): 1 - 0.1 (0.5 + 0.1) = 0.94; -2 - 0.1 (-1 - 0.2) = -1.88
        assertEquals(0.94f, p.value().data()[0], 1e-6);
        assertEquals(-1.88f, p.value().data()[1], 1e-6);
    }

    @Test
    void momentumAndNesterovByHand() {
        Parameter a = weight(1f), b = weight(1f);
        Sgd heavy = new Sgd(0.9, false, 0), nesterov = new Sgd(0.9, true, 0);
        for (int step = 0; step < 2; step++) {
            a.grad().data()[0] = 1f;
            b.grad().data()[0] = 1f;
            heavy.step(List.of(a), 0.1);
            nesterov.step(List.of(b), 0.1);
        }
        // heavy ball: v1 = 1, w = 0.9; v2 = 1.9, w = 0.71
        assertEquals(0.71f, a.value().data()[0], 1e-6);
        // Nesterov: v1 = 1, w -= 0.1 (1 + 0.9) -> 0.81; v2 = 1.9, w -= 0.1 (1 + 1.71) -> 0.539
        assertEquals(0.539f, b.value().data()[0], 1e-6);
    }

    @Test
    void adamFirstStepIsLearningRateTimesSign() {
        Parameter p = weight(0.3f, 0.3f, 0.3f);
        p.grad().data()[0] = 5f;
        p.grad().data()[1] = -0.001f;
        p.grad().data()[2] = 0f;
        new Adam(0.9, 0.999, 1e-8, 0).step(List.of(p), 0.01);
        assertEquals(0.29f, p.value().data()[0], 1e-6);
        assertEquals(0.31f, p.value().data()[1], 1e-5);
        assertEquals(0.3f, p.value().data()[2], 0);
    }

    @Test
    void maskedWeightsStayExactlyZeroThroughEveryOptimiser() {
        for (String name : new String[] {"sgd", "momentum", "nesterov", "adam"}) {
            Parameter p = new Parameter("w", Parameter.Kind.WEIGHT, Tensor.uniform(rng, -1, 1, 8, 9), 9, 8);
            Optimizer opt = Optimizer.named(name, 0.9, 1e-3);
            // a few dense steps first, so the optimiser holds state for weights about to be pruned
            for (int s = 0; s < 3; s++) {
                randomGrad(p);
                opt.step(List.of(p), 0.05);
            }
            Mask m = Mask.random(8, 9, 0.4, rng);
            p.setMask(m);
            for (int s = 0; s < 20; s++) {
                randomGrad(p);
                opt.step(List.of(p), 0.05);
                for (int i = 0; i < 72; i++) {
                    if (!m.toArray()[i]) {
                        assertEquals(0f, p.value().data()[i], 0f, name + ": pruned weight " + i + " moved");
                    }
                }
            }
        }
    }

    private void randomGrad(Parameter p) {
        float[] g = p.grad().data();
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.uniform(-1, 1);
        }
    }

    @Test
    void frozenParametersAndBuffersAreNotUpdated() {
        Parameter p = weight(1f, 2f);
        p.grad().data()[0] = 1f;
        p.setFrozen(true);
        new Sgd(0, false, 0).step(List.of(p), 0.5);
        assertArrayEquals(new float[] {1f, 2f}, p.value().data());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Optimizer.named("rmsprop", 0.9, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(1.5, false, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.cosine(0.1, 10, 10));
    }

    @Test
    void learningRateSchedulesByHand() {
        LearningRate s = LearningRate.steps(0.1, 0.5, 100, 200);
        assertEquals(0.1, s.at(99), 1e-12);
        assertEquals(0.05, s.at(100), 1e-12);
        assertEquals(0.025, s.at(250), 1e-12);
        LearningRate c = LearningRate.cosine(1.0, 10, 110);
        assertEquals(0.1, c.at(0), 1e-12);
        assertEquals(1.0, c.at(10), 1e-12);
        assertEquals(0.5, c.at(60), 1e-12);
        assertEquals(0.0, c.at(110), 1e-12);
    }
}
