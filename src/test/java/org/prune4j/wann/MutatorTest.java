package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mutations keep the graph feed-forward and change exactly what they say. */
class MutatorTest {
    private final Mutator mutator = new Mutator(0.2, 0.25, 0.05, 0.5, List.of(Activation.values()));

    /** Whether the graph of all connections has a cycle, by depth-first search with colours. */
    private static boolean cyclic(Genome g) {
        Map<Integer, List<Integer>> out = new HashMap<>();
        for (ConnectionGene c : g.connections()) {
            out.computeIfAbsent(c.from(), k -> new java.util.ArrayList<>()).add(c.to());
        }
        Map<Integer, Integer> colour = new HashMap<>();
        for (NodeGene n : g.nodes()) {
            if (visit(n.id(), out, colour)) {
                return true;
            }
        }
        return false;
    }

    private static boolean visit(int id, Map<Integer, List<Integer>> out, Map<Integer, Integer> colour) {
        int c = colour.getOrDefault(id, 0);
        if (c != 0) {
            return c == 1;
        }
        colour.put(id, 1);
        for (int next : out.getOrDefault(id, List.of())) {
            if (visit(next, out, colour)) {
                return true;
            }
        }
        colour.put(id, 2);
        return false;
    }

    @Test
    void thousandsOfMutationsStayFeedForward() {
        SplittableRandom rng = new SplittableRandom(11);
        Genome g = Genome.initial(4, 2, Activation.LINEAR, 0.5, rng);
        Innovations ids = Innovations.after(g);
        Set<Integer> innovations = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            g = mutator.mutate(g, rng, ids);
            assertFalse(cyclic(g), "cycle after mutation " + i);
        }
        for (ConnectionGene c : g.connections()) {
            assertTrue(innovations.add(c.innovation()), "innovation " + c.innovation() + " used twice");
        }
        assertTrue(g.hiddenCount() > 20, "3,000 mutations grew only " + g.hiddenCount() + " hidden nodes");
    }

    @Test
    void addingALinearNodeKeepsTheFunctionAtWeightOne() {
        SplittableRandom rng = new SplittableRandom(5);
        Genome g = Genome.initial(3, 2, Activation.LINEAR, 1.0, rng);
        Innovations ids = Innovations.after(g);
        for (int i = 0; i < 30; i++) {
            g = mutator.mutate(g, rng, ids);
        }
        for (int trial = 0; trial < 20; trial++) {
            Genome child = Mutator.addNode(g, rng, ids, Activation.LINEAR);
            assertEquals(g.hiddenCount() + 1, child.hiddenCount());
            assertEquals(g.enabledConnectionCount() + 1, child.enabledConnectionCount());
            Network before = new Network(g), after = new Network(child);
            double[] in = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
            double[] a = new double[2], b = new double[2];
            before.evaluate(in, before.shared(1), before.scratch(), a);
            after.evaluate(in, after.shared(1), after.scratch(), b);
            assertArrayEquals(a, b, 1e-12);
        }
    }

    @Test
    void enablingTurnsOnOneDisabledConnection() {
        Genome g = Genome.initial(6, 1, Activation.LINEAR, 0.0, new SplittableRandom(2));
        Genome child = Mutator.enable(g, new SplittableRandom(3));
        assertEquals(1, child.enabledConnectionCount());
        assertEquals(g.connections().size(), child.connections().size());
    }

    @Test
    void changingAnActivationPicksADifferentOne() {
        SplittableRandom rng = new SplittableRandom(8);
        Genome g = Mutator.addNode(NetworkTest.handWorked(), rng, new Innovations(10, 10), Activation.SIN);
        Genome child = mutator.changeActivation(g, rng);
        int changed = 0;
        for (int i = 0; i < g.nodes().size(); i++) {
            if (g.nodes().get(i).activation() != child.nodes().get(i).activation()) {
                changed++;
                assertEquals(NodeGene.Kind.HIDDEN, g.nodes().get(i).kind());
                assertNotEquals(g.nodes().get(i).activation(), child.nodes().get(i).activation());
            }
        }
        assertEquals(1, changed);
    }

    @Test
    void addedConnectionsAreNewAndForward() {
        SplittableRandom rng = new SplittableRandom(4);
        Genome g = NetworkTest.handWorked();
        Innovations ids = new Innovations(5, 5);
        Genome child = Mutator.addConnection(g, rng, ids);
        assertEquals(g.connections().size() + 1, child.connections().size());
        ConnectionGene added = child.connections().getLast();
        assertTrue(g.layers().get(added.from()) < g.layers().get(added.to()));
        assertFalse(g.connections().stream().anyMatch(c -> c.from() == added.from() && c.to() == added.to()));
    }
}
