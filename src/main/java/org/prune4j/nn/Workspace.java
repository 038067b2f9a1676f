package org.prune4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * The activations and gradients of forward and backward passes, in the backend's memory. A
 * caching workspace hands each layer the same buffer for the same (layer, name, shape) every
 * step, so a training loop allocates nothing in steady state (ND4J's workspaces; DJL's lesson
 * that temporaries under a long-lived scope must not pile up); closing it frees them all. A
 * fresh workspace allocates on every request, for one-off passes whose outputs must not be
 * overwritten by the next. Buffers hold stale values: every operation that fills one
 * overwrites it.
 */
public final class Workspace implements AutoCloseable {
    private record Key(Object owner, String name, List<Integer> shape) {
    }

    private final Backend backend;
    private final boolean caching;
    private final Map<Key, Tensor> buffers = new HashMap<>();
    private final List<Tensor> fresh = new ArrayList<>();
    private boolean closed;

    private Workspace(Backend backend, boolean caching) {
        this.backend = backend;
        this.caching = caching;
    }

    /** Buffers reused step after step until {@link #close()}. */
    public static Workspace caching(Backend backend) {
        return new Workspace(backend, true);
    }

    /** A new buffer for every request. */
    public static Workspace fresh(Backend backend) {
        return new Workspace(backend, false);
    }

    public Backend backend() {
        return backend;
    }

    /** The buffer {@code name} of {@code owner} with this shape, in the backend's memory. */
    public Tensor get(Object owner, String name, int... shape) {
        if (closed) {
            throw new IllegalStateException("workspace closed; its buffers were freed");
        }
        if (!caching) {
            Tensor t = backend.allocate(shape);
            fresh.add(t);
            return t;
        }
        Key k = new Key(new Identity(owner), name, Arrays.stream(shape).boxed().toList());
        return buffers.computeIfAbsent(k, q -> backend.allocate(shape));
    }

    /** Frees every buffer it handed out; tensors from it must not be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffers.values().forEach(t -> t.storage().release());
        fresh.forEach(t -> t.storage().release());
        buffers.clear();
        fresh.clear();
    }

    /** Layers are keyed by identity, not by equals (two equal records are still two layers). */
    private record Identity(Object o) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }
}
