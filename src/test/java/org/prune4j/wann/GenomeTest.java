package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The genome's invariants: what it refuses at construction, and the starting topology. */
class GenomeTest {

    private static void refused(List<ConnectionGene> conns, String fragment) {
        List<NodeGene> nodes = NetworkTest.handWorked().nodes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Genome(nodes, conns));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static List<ConnectionGene> plus(ConnectionGene c) {
        List<ConnectionGene> conns = new ArrayList<>(NetworkTest.handWorked().connections());
        conns.add(c);
        return conns;
    }

    @Test
    void refusesGraphsANetworkCannotEvaluate() {
        refused(plus(new ConnectionGene(9, 4, 0, true)), "leads into INPUT node 0");
        refused(plus(new ConnectionGene(9, 3, 4, true)), "leaves output node 3");
        refused(plus(new ConnectionGene(9, 1, 4, false)), "connected twice");
        refused(plus(new ConnectionGene(9, 1, 7, true)), "node 7, which is not in the genome");
        List<NodeGene> nodes = new ArrayList<>(NetworkTest.handWorked().nodes());
        nodes.add(new NodeGene(5, NodeGene.Kind.HIDDEN, Activation.SIN));
        List<ConnectionGene> cycle = new ArrayList<>(NetworkTest.handWorked().connections());
        cycle.add(new ConnectionGene(9, 4, 5, true));
        cycle.add(new ConnectionGene(10, 5, 4, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Genome(nodes, cycle));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void initialTopologyConnectsInputsAndBiasToOutputsOnly() {
        Genome g = Genome.initial(5, 2, Activation.TANH, 1.0, new SplittableRandom(1));
        assertEquals(5, g.inputCount());
        assertEquals(2, g.outputCount());
        assertEquals(0, g.hiddenCount());
        assertEquals(12, g.enabledConnectionCount());
        Genome none = Genome.initial(5, 2, Activation.TANH, 0.0, new SplittableRandom(1));
        assertEquals(0, none.enabledConnectionCount());
        assertEquals(12, none.connections().size());
    }

    @Test
    void layersPutOutputsPastTheDeepestHiddenNode() {
        var layers = NetworkTest.handWorked().layers();
        assertEquals(0, layers.get(0));
        assertEquals(1, layers.get(4));
        assertEquals(2, layers.get(3));
    }
}
