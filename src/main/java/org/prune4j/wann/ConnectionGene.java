package org.prune4j.wann;

/**
 * One connection of a {@link Genome}. It has no weight of its own: every enabled connection
 * carries the network's shared weight. A disabled connection is kept (a split connection stays
 * in the genome, as in NEAT) and can be enabled again by mutation.
 */
public record ConnectionGene(int innovation, int from, int to, boolean enabled) {
    public ConnectionGene {
        if (innovation < 0 || from < 0 || to < 0) {
            throw new IllegalArgumentException("connection numbers are 0 or more, got innovation " + innovation
                    + " from " + from + " to " + to);
        }
        if (from == to) {
            throw new IllegalArgumentException("connection " + innovation + " links node " + from + " to itself");
        }
    }

    ConnectionGene enabled(boolean on) {
        return new ConnectionGene(innovation, from, to, on);
    }
}
