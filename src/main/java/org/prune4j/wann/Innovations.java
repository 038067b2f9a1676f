package org.prune4j.wann;

/**
 * The running counters of a search: the next free node id and connection innovation number.
 * Ids never repeat within a search, so a node or connection keeps its identity across
 * generations; the counters are saved in checkpoints.
 */
public final class Innovations {
    private int nextNode;
    private int nextInnovation;

    public Innovations(int nextNode, int nextInnovation) {
        if (nextNode < 0 || nextInnovation < 0) {
            throw new IllegalArgumentException("counters are 0 or more, got " + nextNode + " and " + nextInnovation);
        }
        this.nextNode = nextNode;
        this.nextInnovation = nextInnovation;
    }

    /** Counters past everything {@code g} already uses. */
    public static Innovations after(Genome g) {
        return new Innovations(g.maxNodeId() + 1, g.maxInnovation() + 1);
    }

    int node() {
        return nextNode++;
    }

    int innovation() {
        return nextInnovation++;
    }

    public int nextNode() {
        return nextNode;
    }

    public int nextInnovation() {
        return nextInnovation;
    }
}
