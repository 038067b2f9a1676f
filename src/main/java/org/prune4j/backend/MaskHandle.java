package org.prune4j.backend;

/**
 * A weight mask prepared by one backend, in whatever layout its kernels read fastest (a bitset
 * on the CPU). Built when the mask changes, never per step: it is how masked dense training
 * keeps pruned weights at zero inside the optimiser update instead of multiplying whole
 * matrices by 0/1.
 */
public interface MaskHandle extends AutoCloseable {

    int rows();

    int cols();

    /** Entries kept. */
    int kept();

    String backend();

    @Override
    default void close() {
    }
}
