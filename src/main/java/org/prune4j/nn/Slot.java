package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.backend.MaskHandle;
import org.prune4j.tensor.Tensor;

/**
 * What an optimiser updates for one parameter, in whatever form and memory the parameter is
 * in now: the values and gradient (dense, or the stored entries of a sparse weight), the
 * backend whose kernels reach them, the mask that keeps pruned entries still (null when every
 * entry is live), and per-optimiser state tensors of the same size.
 */
public interface Slot {

    Backend backend();

    Tensor value();

    Tensor grad();

    /** Null when nothing is pruned in this form (no mask, or a sparse form that stores only live entries). */
    MaskHandle mask();

    /** The state tensor {@code name} of {@code owner} (an optimiser), zero-filled when first asked for. */
    Tensor state(Object owner, String name);
}
