package org.prune4j.wann;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Makes a child by exactly one topological change, chosen in proportion to its probability:
 * add a connection (from a lower layer to a higher one, so the graph stays feed-forward), add a
 * node (splitting an enabled connection, as NEAT does), enable a disabled connection, or give a
 * hidden node a different activation. A change that has nothing to act on (no hidden node to
 * change, no disabled connection) leaves the child equal to its parent. Weights never mutate:
 * there are none.
 */
public record Mutator(double addConnection, double addNode, double enable, double changeActivation,
        List<Activation> hiddenActivations) {

    public Mutator {
        hiddenActivations = List.copyOf(hiddenActivations);
        for (double p : new double[] {addConnection, addNode, enable, changeActivation}) {
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new IllegalArgumentException("mutation weights must be finite and 0 or more, got " + p);
            }
        }
        if (addConnection + addNode + enable + changeActivation <= 0) {
            throw new IllegalArgumentException("at least one mutation needs a positive weight");
        }
        if (hiddenActivations.size() < 2) {
            throw new IllegalArgumentException("hidden nodes need at least two activations to choose from, got "
                    + hiddenActivations);
        }
    }

    public Genome mutate(Genome g, RandomGenerator rng, Innovations ids) {
        double spin = rng.nextDouble() * (addConnection + addNode + enable + changeActivation);
        if (spin < addConnection) {
            return addConnection(g, rng, ids);
        }
        spin -= addConnection;
        if (spin < addNode) {
            return addNode(g, rng, ids);
        }
        spin -= addNode;
        return spin < enable ? enable(g, rng) : changeActivation(g, rng);
    }

    static Genome addConnection(Genome g, RandomGenerator rng, Innovations ids) {
        Map<Integer, Integer> layer = g.layers();
        Set<Long> existing = new HashSet<>();
        for (ConnectionGene c : g.connections()) {
            existing.add(((long) c.from() << 32) | c.to());
        }
        List<NodeGene> sources = new ArrayList<>(g.nodes().stream()
                .filter(n -> n.kind() != NodeGene.Kind.OUTPUT).toList());
        shuffle(sources, rng);
        for (NodeGene src : sources) {
            int from = layer.get(src.id());
            List<NodeGene> targets = g.nodes().stream().filter(n -> !n.isSource() && layer.get(n.id()) > from
                    && !existing.contains(((long) src.id() << 32) | n.id())).toList();
            if (!targets.isEmpty()) {
                NodeGene to = targets.get(rng.nextInt(targets.size()));
                List<ConnectionGene> conns = new ArrayList<>(g.connections());
                conns.add(new ConnectionGene(ids.innovation(), src.id(), to.id(), true));
                return new Genome(g.nodes(), conns);
            }
        }
        return g;
    }

    Genome addNode(Genome g, RandomGenerator rng, Innovations ids) {
        return addNode(g, rng, ids, hiddenActivations.get(rng.nextInt(hiddenActivations.size())));
    }

    /** Splits a random enabled connection a -> b into a -> new -> b, the new node taking {@code activation}. */
    static Genome addNode(Genome g, RandomGenerator rng, Innovations ids, Activation activation) {
        List<Integer> enabled = new ArrayList<>();
        for (int i = 0; i < g.connections().size(); i++) {
            if (g.connections().get(i).enabled()) {
                enabled.add(i);
            }
        }
        if (enabled.isEmpty()) {
            return g;
        }
        int split = enabled.get(rng.nextInt(enabled.size()));
        ConnectionGene old = g.connections().get(split);
        NodeGene node = new NodeGene(ids.node(), NodeGene.Kind.HIDDEN, activation);
        List<NodeGene> nodes = new ArrayList<>(g.nodes());
        nodes.add(node);
        List<ConnectionGene> conns = new ArrayList<>(g.connections());
        conns.set(split, old.enabled(false));
        conns.add(new ConnectionGene(ids.innovation(), old.from(), node.id(), true));
        conns.add(new ConnectionGene(ids.innovation(), node.id(), old.to(), true));
        return new Genome(nodes, conns);
    }

    static Genome enable(Genome g, RandomGenerator rng) {
        List<Integer> disabled = new ArrayList<>();
        for (int i = 0; i < g.connections().size(); i++) {
            if (!g.connections().get(i).enabled()) {
                disabled.add(i);
            }
        }
        if (disabled.isEmpty()) {
            return g;
        }
        int i = disabled.get(rng.nextInt(disabled.size()));
        List<ConnectionGene> conns = new ArrayList<>(g.connections());
        conns.set(i, conns.get(i).enabled(true));
        return new Genome(g.nodes(), conns);
    }

    Genome changeActivation(Genome g, RandomGenerator rng) {
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            if (g.nodes().get(i).kind() == NodeGene.Kind.HIDDEN) {
                hidden.add(i);
            }
        }
        if (hidden.isEmpty()) {
            return g;
        }
        int i = hidden.get(rng.nextInt(hidden.size()));
        NodeGene n = g.nodes().get(i);
        List<Activation> others = hiddenActivations.stream().filter(a -> a != n.activation()).toList();
        List<NodeGene> nodes = new ArrayList<>(g.nodes());
        nodes.set(i, n.withActivation(others.get(rng.nextInt(others.size()))));
        return new Genome(nodes, g.connections());
    }

    private static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
