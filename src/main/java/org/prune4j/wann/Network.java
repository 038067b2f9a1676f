package org.prune4j.wann;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Genome} compiled for evaluation: values live in slots (the inputs in id order, the
 * bias, then every computed node in topological order), and each computed node sums its
 * enabled incoming connections, each times its weight, and applies its activation. The weights
 * come per call, one per enabled connection in genome order ({@link #edgeCount()}); a weight
 * agnostic evaluation passes the same value for all of them ({@link #shared(double)}).
 */
public final class Network {
    private final Genome genome;
    private final int inputs;
    private final int outputs;
    private final int slots;
    private final Activation[] activation;
    /** For computed node k (slot inputs + 1 + k): its sources' slots and their edges' indices. */
    private final int[][] sourceSlots;
    private final int[][] sourceEdges;
    private final int[] outputSlots;
    private final int edges;

    public Network(Genome genome) {
        this.genome = genome;
        List<NodeGene> inputNodes = genome.ofKind(NodeGene.Kind.INPUT);
        inputs = inputNodes.size();
        outputs = genome.outputCount();
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i = 0; i < inputs; i++) {
            slot.put(inputNodes.get(i).id(), i);
        }
        slot.put(genome.ofKind(NodeGene.Kind.BIAS).getFirst().id(), inputs);
        List<NodeGene> computed = genome.topologicalOrder().stream().filter(n -> !n.isSource()).toList();
        for (int k = 0; k < computed.size(); k++) {
            slot.put(computed.get(k).id(), inputs + 1 + k);
        }
        slots = inputs + 1 + computed.size();
        activation = computed.stream().map(NodeGene::activation).toArray(Activation[]::new);
        int[] incoming = new int[computed.size()];
        List<ConnectionGene> enabled = genome.connections().stream().filter(ConnectionGene::enabled).toList();
        edges = enabled.size();
        for (ConnectionGene c : enabled) {
            incoming[slot.get(c.to()) - inputs - 1]++;
        }
        sourceSlots = new int[computed.size()][];
        sourceEdges = new int[computed.size()][];
        for (int k = 0; k < computed.size(); k++) {
            sourceSlots[k] = new int[incoming[k]];
            sourceEdges[k] = new int[incoming[k]];
        }
        int[] filled = new int[computed.size()];
        for (int e = 0; e < enabled.size(); e++) {
            int k = slot.get(enabled.get(e).to()) - inputs - 1;
            sourceSlots[k][filled[k]] = slot.get(enabled.get(e).from());
            sourceEdges[k][filled[k]++] = e;
        }
        outputSlots = genome.ofKind(NodeGene.Kind.OUTPUT).stream().mapToInt(n -> slot.get(n.id())).toArray();
    }

    public Genome genome() {
        return genome;
    }

    public int inputCount() {
        return inputs;
    }

    public int outputCount() {
        return outputs;
    }

    /** The number of weights an evaluation takes: one per enabled connection. */
    public int edgeCount() {
        return edges;
    }

    /** Every connection at {@code w}. */
    public double[] shared(double w) {
        double[] weights = new double[edges];
        Arrays.fill(weights, w);
        return weights;
    }

    /** A scratch buffer for {@link #evaluate}, so a control loop allocates nothing per step. */
    public double[] scratch() {
        return new double[slots];
    }

    /** Evaluates one input vector into {@code out} (outputs in node id order), using {@code scratch}. */
    public void evaluate(double[] input, double[] weights, double[] scratch, double[] out) {
        checkWeights(weights);
        if (input.length != inputs || out.length != outputs || scratch.length != slots) {
            throw new IllegalArgumentException("network takes " + inputs + " inputs and gives " + outputs
                    + " outputs with a scratch of " + slots + "; got " + input.length + ", " + out.length + " and "
                    + scratch.length);
        }
        System.arraycopy(input, 0, scratch, 0, inputs);
        scratch[inputs] = 1;
        for (int k = 0; k < activation.length; k++) {
            double sum = 0;
            int[] src = sourceSlots[k], edge = sourceEdges[k];
            for (int j = 0; j < src.length; j++) {
                sum += weights[edge[j]] * scratch[src[j]];
            }
            scratch[inputs + 1 + k] = activation[k].apply(sum);
        }
        for (int o = 0; o < outputs; o++) {
            out[o] = scratch[outputSlots[o]];
        }
    }

    /**
     * Evaluates {@code n} examples stored row-major in {@code x} ({@code n x inputCount()}) and
     * returns their outputs row-major ({@code n x outputCount()}).
     */
    public double[] evaluateBatch(float[] x, int n, double[] weights) {
        checkWeights(weights);
        if (x.length != n * inputs) {
            throw new IllegalArgumentException("a batch of " + n + " needs " + n * inputs + " values, got "
                    + x.length);
        }
        double[][] value = new double[slots][];
        for (int i = 0; i < inputs; i++) {
            double[] v = new double[n];
            for (int b = 0; b < n; b++) {
                v[b] = x[b * inputs + i];
            }
            value[i] = v;
        }
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        value[inputs] = ones;
        for (int k = 0; k < activation.length; k++) {
            double[] sum = new double[n];
            int[] src = sourceSlots[k], edge = sourceEdges[k];
            for (int j = 0; j < src.length; j++) {
                double w = weights[edge[j]];
                double[] s = value[src[j]];
                for (int b = 0; b < n; b++) {
                    sum[b] += w * s[b];
                }
            }
            Activation a = activation[k];
            if (a != Activation.LINEAR) {
                for (int b = 0; b < n; b++) {
                    sum[b] = a.apply(sum[b]);
                }
            }
            value[inputs + 1 + k] = sum;
        }
        double[] out = new double[n * outputs];
        for (int o = 0; o < outputs; o++) {
            double[] v = value[outputSlots[o]];
            for (int b = 0; b < n; b++) {
                out[b * outputs + o] = v[b];
            }
        }
        return out;
    }

    private void checkWeights(double[] weights) {
        if (weights.length != edges) {
            throw new IllegalArgumentException("network has " + edges + " enabled connections, got " + weights.length
                    + " weights");
        }
    }
}
