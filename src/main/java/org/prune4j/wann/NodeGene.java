package org.prune4j.wann;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/** One node of a {@link Genome}: its id, its role, and the activation applied to its summed input. */
public record NodeGene(int id, Kind kind, Activation activation) {
    /** Inputs and the bias feed the network; outputs are read from it; hidden nodes are grown by mutation. */
    public enum Kind {
        INPUT, BIAS, OUTPUT, HIDDEN
    }

    public NodeGene {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(activation, "activation");
        if (id < 0) {
            throw new IllegalArgumentException("node ids are 0 or more, got " + id);
        }
    }

    /** Whether this node's value is given rather than computed (an input or the bias). */
    @JsonIgnore
    public boolean isSource() {
        return kind == Kind.INPUT || kind == Kind.BIAS;
    }

    NodeGene withActivation(Activation a) {
        return new NodeGene(id, kind, a);
    }
}
