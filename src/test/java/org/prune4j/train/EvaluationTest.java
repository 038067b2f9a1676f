package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Pass;
import org.prune4j.tensor.Rng;

/** Evaluation batches fit their activations in a budget and add up to the per-example loss and accuracy. */
class EvaluationTest {
    @Test
    void convolutionalNetworksEvaluateInBatchesTheirActivationsFit() {
        assertEquals(1000, Evaluation.batchSize(Models.create("lenet300", 1, 28, 28, 10, new Rng(1))));
        // Conv-4 on 28x28, by hand, inputs and twice the outputs per position of each layer:
        // conv1 (9 + 128) * 784, conv2 (576 + 128) * 784, conv3 (576 + 256) * 196, conv4 (1152 + 256) * 196,
        // fc1 6272 + 512, fc2 256 + 512, fc3 256 + 20: 1,106,212 floats, 4,424,848 bytes an example
        assertEquals(536_870_912L / 4_424_848L, Evaluation.batchSize(Models.create("conv4", 1, 28, 28, 10,
                new Rng(1))));
    }

    @Test
    void batchedEvaluationEqualsOneExampleAtATime() {
        Model m = Models.create("conv4", 1, 28, 28, 10, new Rng(2));
        int n = 2 * Evaluation.batchSize(m) + 7; // two full batches and a short one
        Rng r = new Rng(3);
        float[] px = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
            for (int j = 0; j < 784; j++) {
                px[i * 784 + j] = r.nextFloat();
            }
        }
        Dataset d = new Dataset("random", px, labels, 1, 28, 28, 10);
        Backend host = Backends.host();
        Evaluation e = Evaluation.of(m, d, host);

        double loss = 0;
        int correct = 0;
        int[] all = new int[n];
        java.util.Arrays.setAll(all, i -> i);
        for (int i = 0; i < n; i++) {
            float[] z = m.forward(d.images(all, i, i + 1), new Pass(host, false, null)).toHost().data();
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            int arg = 0;
            for (int c = 0; c < 10; c++) {
                if (z[c] > max) {
                    max = z[c];
                    arg = c;
                }
            }
            for (int c = 0; c < 10; c++) {
                sum += Math.exp(z[c] - max);
            }
            loss += Math.log(sum) + max - z[labels[i]];
            correct += arg == labels[i] ? 1 : 0;
        }
        assertEquals(loss / n, e.loss(), 1e-5 * Math.max(1, loss / n));
        assertEquals(correct / (double) n, e.accuracy(), 1e-12);
    }
}
