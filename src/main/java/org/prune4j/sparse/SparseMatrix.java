package org.prune4j.sparse;

import org.prune4j.tensor.Tensor;

/**
 * A sparse rows x cols float matrix in one of the project's formats. Every implementation
 * checks its invariants when constructed, is immutable, and converts back to dense exactly.
 * The set of formats is closed so that backends can switch over it exhaustively.
 */
public sealed interface SparseMatrix permits CsrMatrix, BsrMatrix, NmMatrix, TwoFourMatrix, CompactedMatrix {

    int rows();

    int cols();

    /** Stored values, including explicit zeros (padding in a block, an unused N:M slot). */
    long storedValues();

    /** Short name of the format, such as "csr" or "bsr-16x16". */
    String format();

    Tensor toDense();

    /** Fraction of the logical matrix that is not stored. */
    default double sparsity() {
        long size = (long) rows() * cols();
        return size == 0 ? 0.0 : 1.0 - (double) storedValues() / size;
    }
}
