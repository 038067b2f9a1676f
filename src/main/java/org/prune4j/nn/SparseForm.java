package org.prune4j.nn;

import org.prune4j.backend.SparseWeight;
import org.prune4j.tensor.Tensor;

/**
 * A weight held sparse for training (CSR, or whole blocks): the pattern prepared by its
 * backend, and the stored values and their gradient, {@code nnz} each, in that backend's
 * memory. The optimiser updates
 * {@link #values()} in place with state of the same size; the pattern changes only when the
 * mask does.
 */
public record SparseForm(SparseWeight pattern, Tensor values, Tensor grads) {
}
