package org.prune4j.wann;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A network topology: nodes with activations and the connections between them. Immutable; the
 * constructor checks that it is a feed-forward graph a {@link Network} can evaluate: unique node
 * ids, exactly one bias node, connections only between existing nodes, never into an input or
 * the bias, never out of an output, no pair connected twice, and no cycle (counting disabled
 * connections, which mutation may enable again).
 */
public record Genome(List<NodeGene> nodes, List<ConnectionGene> connections) {

    public Genome {
        nodes = List.copyOf(nodes);
        connections = List.copyOf(connections);
        Map<Integer, NodeGene> byId = new HashMap<>();
        int bias = 0, inputs = 0, outputs = 0;
        for (NodeGene n : nodes) {
            if (byId.put(n.id(), n) != null) {
                throw new IllegalArgumentException("node id " + n.id() + " appears twice");
            }
            switch (n.kind()) {
                case BIAS -> bias++;
                case INPUT -> inputs++;
                case OUTPUT -> outputs++;
                case HIDDEN -> { }
            }
        }
        if (bias != 1 || inputs == 0 || outputs == 0) {
            throw new IllegalArgumentException("a genome needs one bias node, at least one input and one output; got "
                    + bias + " bias, " + inputs + " inputs, " + outputs + " outputs");
        }
        Set<Long> pairs = new HashSet<>();
        for (ConnectionGene c : connections) {
            NodeGene from = byId.get(c.from()), to = byId.get(c.to());
            if (from == null || to == null) {
                throw new IllegalArgumentException("connection " + c.innovation() + " names node "
                        + (from == null ? c.from() : c.to()) + ", which is not in the genome");
            }
            if (to.isSource()) {
                throw new IllegalArgumentException("connection " + c.innovation() + " leads into " + to.kind()
                        + " node " + to.id() + "; inputs and the bias take no connections");
            }
            if (from.kind() == NodeGene.Kind.OUTPUT) {
                throw new IllegalArgumentException("connection " + c.innovation() + " leaves output node " + from.id()
                        + "; outputs feed nothing");
            }
            if (!pairs.add(((long) c.from() << 32) | c.to())) {
                throw new IllegalArgumentException("nodes " + c.from() + " and " + c.to() + " are connected twice");
            }
        }
        if (order(nodes, connections) == null) {
            throw new IllegalArgumentException("the connections form a cycle; a genome must be feed-forward");
        }
    }

    /**
     * The starting topology of the search: inputs, a bias and outputs, each input (and the bias)
     * connected to each output with probability {@code density}, no hidden nodes. Node ids are
     * 0..inputs-1 for the inputs, {@code inputs} for the bias, then the outputs; connection
     * innovations number the input-output pairs.
     */
    public static Genome initial(int inputs, int outputs, Activation outputActivation, double density,
            RandomGenerator rng) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("need at least one input and one output, got " + inputs + " and "
                    + outputs);
        }
        if (!(density >= 0 && density <= 1)) {
            throw new IllegalArgumentException("initial connection density must be in [0, 1], got " + density);
        }
        List<NodeGene> nodes = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            nodes.add(new NodeGene(i, NodeGene.Kind.INPUT, Activation.LINEAR));
        }
        nodes.add(new NodeGene(inputs, NodeGene.Kind.BIAS, Activation.LINEAR));
        for (int o = 0; o < outputs; o++) {
            nodes.add(new NodeGene(inputs + 1 + o, NodeGene.Kind.OUTPUT, outputActivation));
        }
        List<ConnectionGene> conns = new ArrayList<>();
        int innovation = 0;
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i <= inputs; i++) {
                conns.add(new ConnectionGene(innovation++, i, inputs + 1 + o, rng.nextDouble() < density));
            }
        }
        return new Genome(nodes, conns);
    }

    public int inputCount() {
        return count(NodeGene.Kind.INPUT);
    }

    public int outputCount() {
        return count(NodeGene.Kind.OUTPUT);
    }

    public int hiddenCount() {
        return count(NodeGene.Kind.HIDDEN);
    }

    /** The complexity objective of the search: the number of enabled connections. */
    public int enabledConnectionCount() {
        return (int) connections.stream().filter(ConnectionGene::enabled).count();
    }

    int maxNodeId() {
        return nodes.stream().mapToInt(NodeGene::id).max().orElseThrow();
    }

    int maxInnovation() {
        return connections.stream().mapToInt(ConnectionGene::innovation).max().orElse(-1);
    }

    /** Inputs in id order, as {@link Network} reads them. */
    List<NodeGene> ofKind(NodeGene.Kind kind) {
        return nodes.stream().filter(n -> n.kind() == kind).sorted((a, b) -> Integer.compare(a.id(), b.id()))
                .toList();
    }

    /** Nodes in an order where every connection points forward. */
    public List<NodeGene> topologicalOrder() {
        return order(nodes, connections);
    }

    /**
     * Each node's layer: 0 for inputs and the bias, otherwise one more than the deepest node that
     * feeds it (through any connection, enabled or not); outputs all sit one past the deepest
     * hidden node. A new connection from a lower to a higher layer can never close a cycle.
     */
    public Map<Integer, Integer> layers() {
        Map<Integer, Integer> layer = new HashMap<>();
        Map<Integer, List<Integer>> into = new HashMap<>();
        for (ConnectionGene c : connections) {
            into.computeIfAbsent(c.to(), k -> new ArrayList<>()).add(c.from());
        }
        int deepestHidden = 0;
        for (NodeGene n : topologicalOrder()) {
            int l = 0;
            if (!n.isSource()) {
                for (int from : into.getOrDefault(n.id(), List.of())) {
                    l = Math.max(l, layer.get(from) + 1);
                }
                l = Math.max(l, 1);
            }
            layer.put(n.id(), l);
            if (n.kind() == NodeGene.Kind.HIDDEN) {
                deepestHidden = Math.max(deepestHidden, l);
            }
        }
        for (NodeGene n : nodes) {
            if (n.kind() == NodeGene.Kind.OUTPUT) {
                layer.put(n.id(), deepestHidden + 1);
            }
        }
        return layer;
    }

    private int count(NodeGene.Kind kind) {
        return (int) nodes.stream().filter(n -> n.kind() == kind).count();
    }

    /** Kahn's algorithm; null when there is a cycle. */
    private static List<NodeGene> order(List<NodeGene> nodes, List<ConnectionGene> connections) {
        Map<Integer, Integer> indegree = new HashMap<>();
        Map<Integer, List<Integer>> out = new HashMap<>();
        Map<Integer, NodeGene> byId = new HashMap<>();
        for (NodeGene n : nodes) {
            indegree.put(n.id(), 0);
            byId.put(n.id(), n);
        }
        for (ConnectionGene c : connections) {
            indegree.merge(c.to(), 1, Integer::sum);
            out.computeIfAbsent(c.from(), k -> new ArrayList<>()).add(c.to());
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (NodeGene n : nodes) {
            if (indegree.get(n.id()) == 0) {
                ready.add(n.id());
            }
        }
        List<NodeGene> sorted = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int id = ready.poll();
            sorted.add(byId.get(id));
            for (int to : out.getOrDefault(id, List.of())) {
                if (indegree.merge(to, -1, Integer::sum) == 0) {
                    ready.add(to);
                }
            }
        }
        return sorted.size() == nodes.size() ? sorted : null;
    }
}
