package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A genome's evaluation against a hand-worked example, and the batch path against the single one. */
class NetworkTest {

    /** Inputs 0, 1, bias 2, output 3 (linear), hidden 4 (tanh); 0 -> 3 is disabled. */
    static Genome handWorked() {
        return new Genome(List.of(new NodeGene(0, NodeGene.Kind.INPUT, Activation.LINEAR),
                new NodeGene(1, NodeGene.Kind.INPUT, Activation.LINEAR),
                new NodeGene(2, NodeGene.Kind.BIAS, Activation.LINEAR),
                new NodeGene(3, NodeGene.Kind.OUTPUT, Activation.LINEAR),
                new NodeGene(4, NodeGene.Kind.HIDDEN, Activation.TANH)),
                List.of(new ConnectionGene(0, 0, 4, true), new ConnectionGene(1, 1, 4, true),
                        new ConnectionGene(2, 4, 3, true), new ConnectionGene(3, 2, 3, true),
                        new ConnectionGene(4, 0, 3, false)));
    }

    @Test
    void sharedWeightOutputMatchesTheHandWorkedValue() {
        Network net = new Network(handWorked());
        assertEquals(4, net.edgeCount());
        double[] out = new double[1];
        net.evaluate(new double[] {1, 2}, net.shared(0.5), net.scratch(), out);
        // hidden = tanh(0.5 * 1 + 0.5 * 2); output = 0.5 * hidden + 0.5 * bias
        assertEquals(0.5 * Math.tanh(1.5) + 0.5, out[0], 1e-15);
    }

    @Test
    void eachConnectionTakesItsOwnWeightInGenomeOrder() {
        Network net = new Network(handWorked());
        double[] out = new double[1];
        net.evaluate(new double[] {1, 2}, new double[] {-1, 0.25, 2, 3}, net.scratch(), out);
        assertEquals(2 * Math.tanh(-1 * 1 + 0.25 * 2) + 3 * 1, out[0], 1e-15);
    }

    @Test
    void batchEvaluationEqualsOneExampleAtATime() {
        SplittableRandom rng = new SplittableRandom(3);
        Genome g = Genome.initial(6, 3, Activation.LINEAR, 0.6, rng);
        Innovations ids = Innovations.after(g);
        Mutator m = new Mutator(0.3, 0.4, 0.1, 0.2, List.of(Activation.values()));
        for (int i = 0; i < 60; i++) {
            g = m.mutate(g, rng, ids);
        }
        Network net = new Network(g);
        int n = 37;
        float[] x = new float[n * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        double[] w = new double[net.edgeCount()];
        for (int e = 0; e < w.length; e++) {
            w[e] = rng.nextDouble(-2, 2);
        }
        double[] batch = net.evaluateBatch(x, n, w);
        double[] in = new double[6], out = new double[3], scratch = net.scratch();
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < 6; i++) {
                in[i] = x[b * 6 + i];
            }
            net.evaluate(in, w, scratch, out);
            assertArrayEquals(out, java.util.Arrays.copyOfRange(batch, b * 3, b * 3 + 3), 1e-12);
        }
    }

    @Test
    void wrongWeightCountIsRefused() {
        Network net = new Network(handWorked());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.evaluate(new double[] {1, 2}, new double[3], net.scratch(), new double[1]));
        assertEquals("network has 4 enabled connections, got 3 weights", e.getMessage());
    }
}
