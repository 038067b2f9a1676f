package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prune4j.data.Dataset;

/** Cross-entropy, accuracy and image shrinking against direct computations. */
class ClassificationTaskTest {

    /** out_i = w * x_i for two inputs and two outputs. */
    static Network identity() {
        Genome g = new Genome(List.of(new NodeGene(0, NodeGene.Kind.INPUT, Activation.LINEAR),
                new NodeGene(1, NodeGene.Kind.INPUT, Activation.LINEAR),
                new NodeGene(2, NodeGene.Kind.BIAS, Activation.LINEAR),
                new NodeGene(3, NodeGene.Kind.OUTPUT, Activation.LINEAR),
                new NodeGene(4, NodeGene.Kind.OUTPUT, Activation.LINEAR)),
                List.of(new ConnectionGene(0, 0, 3, true), new ConnectionGene(1, 1, 4, true)));
        return new Network(g);
    }

    @Test
    void crossEntropyIsMinusTheLogOfTheSoftmaxOfTheLabel() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] logits = new double[4 * 3];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = rng.nextDouble(-5, 5);
        }
        int[] labels = {0, 2, 1, 2};
        double sum = 0;
        for (int b = 0; b < 4; b++) {
            double z = 0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(logits[b * 3 + c]);
            }
            sum -= Math.log(Math.exp(logits[b * 3 + labels[b]]) / z);
        }
        assertEquals(sum / 4, ClassificationTask.crossEntropy(logits, labels, 3), 1e-12);
    }

    @Test
    void accuracyCountsTheLargestOutputWithTiesToTheLowestClass() {
        float[] x = {1, 0, 0, 1, 0.2f, 0.9f, 0.5f, 0.5f, 0.7f, 0.1f};
        int[] y = {0, 1, 1, 1, 1};
        var split = new ClassificationTask.Split(x, y, 2);
        Network net = identity();
        // right: examples 0, 1, 2; the tie (example 3) goes to class 0; example 4 is wrong
        assertEquals(60.0, ClassificationTask.accuracy(net, net.shared(1), split), 1e-12);
        // at -1 the smaller input wins: only example 4 is right (the tie still goes to class 0)
        assertEquals(20.0, ClassificationTask.accuracy(net, net.shared(-1), split), 1e-12);
    }

    @Test
    void theEnsembleAveragesProbabilitiesNotVotes() {
        // one example (1, 1) of class 0; the outputs are the two connections' weights. Hand-worked:
        // (4, 0) gives p0 = 0.982 and (0, 0.2) twice gives p0 = 0.450: two of three votes go to
        // class 1, but the mean probability of class 0 is 0.627
        float[] x = {1, 1};
        var split = new ClassificationTask.Split(x, new int[] {0}, 2);
        var task = new ClassificationTask("t", split, split, split, 2, 1);
        Network net = identity();
        double[][] sets = {{4, 0}, {0, 0.2}, {0, 0.2}};
        assertEquals(100.0, task.ensembleScore(net, sets, 1).getAsDouble(), 1e-12);
        assertEquals(0.0, task.ensembleScore(net, new double[][] {{0, 0.2}, {0, 0.2}}, 1).getAsDouble(), 1e-12);
    }

    @Test
    void overflowingOutputsGetTheWorstFitnessNotNaN() {
        float[] x = {1, 0, 0, 1};
        int[] y = {0, 1};
        var split = new ClassificationTask.Split(x, y, 2);
        var task = new ClassificationTask("t", split, split, split, 2, 2);
        Network net = identity();
        double[] f = task.fitness(net, new double[][] {net.shared(1), net.shared(Double.MAX_VALUE),
            net.shared(Double.POSITIVE_INFINITY)}, 1);
        assertEquals(-Math.log(Math.E / (Math.E + 1)), -f[0], 1e-12);
        assertEquals(0, f[1], 1e-12);
        assertEquals(ClassificationTask.OVERFLOW_FITNESS, f[2]);
    }

    @Test
    void shrinkingAveragesWholeBlocksAndUnitRestoresTheRange() {
        float[] pixels = new float[16];
        for (int i = 0; i < 16; i++) {
            pixels[i] = i;
        }
        Dataset d = new Dataset("4x4", pixels, new int[] {0}, 1, 4, 4, 2);
        var small = DownsampledImages.shrink(d, 2);
        // blocks {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, small.x(), 1e-6f);
        var unit = DownsampledImages.unit(small, 2.5f, 12.5f);
        assertArrayEquals(new float[] {0f, 0.2f, 0.8f, 1f}, unit.x(), 1e-6f);
    }
}
