package org.prune4j.nn;

import java.util.Objects;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Rng;

/**
 * What one forward pass needs besides its input: the backend, whether it is training (dropout
 * on, BatchNorm batch statistics), the random stream dropout draws its seeds from, and the
 * workspace its activations go into.
 */
public record Pass(Backend backend, boolean training, Rng rng, Workspace workspace) {
    public Pass {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(workspace, "workspace");
        if (training) {
            Objects.requireNonNull(rng, "a training pass needs a random stream for dropout");
        }
        if (workspace.backend() != backend) {
            throw new IllegalArgumentException("the workspace belongs to backend '" + workspace.backend().name()
                    + "', the pass runs on '" + backend.name() + "'");
        }
    }

    /** A one-off pass whose outputs are new tensors, not reused buffers. */
    public Pass(Backend backend, boolean training, Rng rng) {
        this(backend, training, rng, Workspace.fresh(backend));
    }

    public static Pass eval(Backend backend) {
        return new Pass(backend, false, null);
    }

    /** Another pass over the same backend and workspace, for evaluation between training steps. */
    public Pass evaluation() {
        return new Pass(backend, false, null, workspace);
    }

    /** A buffer of this pass's workspace. */
    public org.prune4j.tensor.Tensor buffer(Object owner, String name, int... shape) {
        return workspace.get(owner, name, shape);
    }
}
