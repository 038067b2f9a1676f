package org.prune4j.backend;

/** Whether an operand is used as stored or transposed. */
public enum Op {
    N, T;

    public boolean transposed() {
        return this == T;
    }
}
