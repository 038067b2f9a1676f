package org.prune4j.backend;

import org.prune4j.sparse.BlockShape;

/**
 * A CSR weight pattern prepared by one backend for training: the row index for the forward
 * product and weight gradient, and the column index (with its map back to CSR order) for the
 * input gradient, both in the backend's memory and built once per pattern. The values are not
 * part of it: they are a separate tensor of {@link #nnz()} entries, in an order only the
 * backend's gather and scatter know, that the optimiser updates in place, so a pattern outlives
 * every step until the mask changes.
 */
public interface SparseWeight extends AutoCloseable {

    int rows();

    int cols();

    int nnz();

    /**
     * The blocks its kernels run: {@link BlockShape#NONE} for CSR, else the block shape the
     * pattern was prepared in (its values are then stored block by block, edge blocks padded).
     */
    default BlockShape blocks() {
        return BlockShape.NONE;
    }

    /** The backend that prepared it; only that backend's kernels accept it. */
    String backend();

    /** Frees the index arrays in device memory; host handles have nothing to free. */
    @Override
    default void close() {
    }
}
