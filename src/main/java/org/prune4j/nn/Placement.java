package org.prune4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.backend.Backend;
import org.prune4j.backend.MaskHandle;
import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * Where and in what form one parameter's tensors are held: its value, gradient and optimiser
 * state, dense in host memory, dense in a backend's memory, or as the stored entries of a sparse
 * (CSR or block) weight. Exactly one form is current; moving between them is explicit and happens only when
 * something asks for another form: a layer for the resident form it computes on, host code
 * (pruning, checkpoints) for the host form, a mask change. In steady training nothing moves.
 *
 * <p>The host tensors are allocated once and keep their identity, so a caller holding
 * {@code parameter.value()} sees the values again whenever they come back to the host. Host
 * edits to them take effect at the next move into a training form: a sparse form left without
 * an optimiser step in between keeps the host values (they are what it was gathered from), so
 * code that edits values between forward passes (gradient checks, score perturbations) calls
 * {@code value()} after each edit.
 */
final class Placement {
    private record StateKey(Object owner, String name) {
    }

    private final Tensor hostValue;
    private final Tensor hostGrad;
    private Backend home;
    private Tensor value;
    private Tensor grad;
    private Map<StateKey, Tensor> state = new LinkedHashMap<>();
    private Sparse sparse;
    private MaskHandle maskHandle;
    private Backend maskFor;
    private int maskVersion = -1;
    private boolean gradUnmasked;

    private static final class Sparse {
        final Backend backend;
        final int maskVersion;
        final SparseForm form;
        final Map<StateKey, Tensor> state = new LinkedHashMap<>();
        /** Whether the stored values changed since they were gathered (an optimiser ran on them). */
        boolean valuesWritten;

        Sparse(Backend backend, int maskVersion, SparseForm form) {
            this.backend = backend;
            this.maskVersion = maskVersion;
            this.form = form;
        }
    }

    Placement(Tensor value, boolean hasGrad) {
        this.hostValue = value;
        this.hostGrad = hasGrad ? Tensor.zeros(value.shape()) : null;
        this.value = hostValue;
        this.grad = hostGrad;
    }

    // ---- host form -------------------------------------------------------------------

    Tensor hostValue() {
        toHost();
        return hostValue;
    }

    /** The host gradient; entries a dense product left at pruned positions are zeroed first. */
    Tensor hostGrad(Mask mask) {
        toHost();
        if (gradUnmasked && mask != null && hostGrad != null) {
            zeroPruned(mask, hostGrad);
        }
        gradUnmasked = false;
        return hostGrad;
    }

    /** The host gradient as the last dense backward wrote it, pruned entries included. */
    Tensor hostFullGrad(Mask mask, String name) {
        if (mask != null && !gradUnmasked) {
            throw new IllegalStateException(name + ": the last backward did not write the gradient at pruned entries "
                    + "(it ran on the sparse path, or the mask changed since); run a step on the dense path first");
        }
        toHost();
        return hostGrad;
    }

    /** A host copy of the values, leaving the current form where it is. */
    float[] snapshot() {
        if (sparse != null) {
            Backend b = sparse.backend;
            Tensor tmp = b.allocate(hostValue.shape());
            b.scatterValues(sparse.form.pattern(), sparse.form.values(), tmp);
            float[] out = tmp.toHost().data();
            tmp.storage().release();
            return out;
        }
        return value.toHost().data();
    }

    /** Brings everything to the host, dense; frees device memory. */
    void toHost() {
        leaveSparse();
        if (value != hostValue) {
            home.copy(value, hostValue);
            value.storage().release();
            if (grad != null) {
                home.copy(grad, hostGrad);
                grad.storage().release();
            }
            Map<StateKey, Tensor> moved = new LinkedHashMap<>();
            state.forEach((k, t) -> {
                moved.put(k, t.toHost());
                t.storage().release();
            });
            state = moved;
            value = hostValue;
            grad = hostGrad;
        }
        home = null;
        dropMaskHandle();
    }

    /** The mask changed: everything comes home and the newly pruned entries, state included, become zero. */
    void maskChanged(Mask mask) {
        toHost();
        if (mask != null) {
            zeroPruned(mask, hostValue);
            if (hostGrad != null) {
                zeroPruned(mask, hostGrad);
            }
            state.values().forEach(t -> zeroPruned(mask, t));
        }
        gradUnmasked = false;
    }

    private static void zeroPruned(Mask mask, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            // a bit mask, not a branch: a random mask would mispredict every other entry
            d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & -(mask.keptAt(i) ? 1 : 0));
        }
    }

    // ---- resident dense form ---------------------------------------------------------

    /** The dense value in {@code b}'s memory, moving it there if needed (counted by the backend). */
    Tensor denseOn(Backend b) {
        leaveSparse();
        moveTo(b);
        return value;
    }

    Tensor denseGradOn(Backend b) {
        denseOn(b);
        if (grad == null) {
            throw new IllegalStateException("buffers have no gradient");
        }
        return grad;
    }

    /** A dense product wrote the whole gradient, pruned entries included; the optimiser skips those. */
    void markGradUnmasked() {
        gradUnmasked = true;
    }

    MaskHandle maskOn(Backend b, Mask mask, int version) {
        if (mask == null) {
            return null;
        }
        if (maskHandle == null || maskFor != b || maskVersion != version) {
            dropMaskHandle();
            maskHandle = b.prepareMask(mask);
            maskFor = b;
            maskVersion = version;
        }
        return maskHandle;
    }

    private void dropMaskHandle() {
        if (maskHandle != null) {
            maskHandle.close();
        }
        maskHandle = null;
        maskFor = null;
        maskVersion = -1;
    }

    private void moveTo(Backend b) {
        if (home == b) {
            return;
        }
        if (value.device().equals(b.device())) {
            home = b;
            return;
        }
        if (value != hostValue) {
            toHost();
            if (hostValue.device().equals(b.device())) {
                home = b;
                return;
            }
        }
        value = b.resident(hostValue);
        grad = hostGrad == null ? null : b.resident(hostGrad);
        Map<StateKey, Tensor> moved = new LinkedHashMap<>();
        state.forEach((k, t) -> moved.put(k, b.resident(t)));
        state = moved;
        home = b;
        dropMaskHandle();
    }

    // ---- sparse form ---------------------------------------------------------------

    /** The sparse form on {@code b} for the given mask, built from the dense values if it is not current. */
    SparseForm sparseOn(Backend b, Mask mask, BlockShape blocks, int version) {
        if (sparse != null && sparse.backend == b && sparse.maskVersion == version) {
            return sparse.form;
        }
        leaveSparse();
        moveTo(b);
        SparseWeight pattern = b.prepareSparse(CsrMatrix.pattern(mask), blocks);
        Tensor values = b.allocate(pattern.nnz());
        b.gatherValues(pattern, value, values);
        Sparse s = new Sparse(b, version, new SparseForm(pattern, values, b.allocate(pattern.nnz())));
        state.forEach((k, t) -> {
            Tensor g = b.allocate(pattern.nnz());
            b.gatherValues(pattern, t, g);
            s.state.put(k, g);
        });
        sparse = s;
        return s.form;
    }

    boolean isSparse() {
        return sparse != null;
    }

    private void leaveSparse() {
        if (sparse == null) {
            return;
        }
        Sparse s = sparse;
        sparse = null;
        Backend b = s.backend;
        if (s.valuesWritten) {
            b.scatterValues(s.form.pattern(), s.form.values(), value);
        }
        if (grad != null) {
            b.scatterValues(s.form.pattern(), s.form.grads(), grad);
        }
        s.state.forEach((k, t) -> {
            Tensor dense = state.computeIfAbsent(k, q -> b.allocate(hostValue.shape()));
            b.scatterValues(s.form.pattern(), t, dense);
            t.storage().release();
        });
        s.form.values().storage().release();
        s.form.grads().storage().release();
        s.form.pattern().close();
        gradUnmasked = false;
    }

    // ---- optimiser state -------------------------------------------------------------

    /** What the optimiser updates now; an unbound host parameter binds to {@code fallback}. */
    Slot slot(Backend fallback, Mask mask, int version) {
        if (sparse != null) {
            Sparse s = sparse;
            s.valuesWritten = true;
            return new Slot() {
                public Backend backend() {
                    return s.backend;
                }

                public Tensor value() {
                    return s.form.values();
                }

                public Tensor grad() {
                    return s.form.grads();
                }

                public MaskHandle mask() {
                    return null;
                }

                public Tensor state(Object owner, String name) {
                    return s.state.computeIfAbsent(new StateKey(owner, name), k -> s.backend.allocate(s.form.values()
                            .shape()));
                }
            };
        }
        Backend b = home != null ? home : fallback;
        moveTo(b);
        MaskHandle m = maskOn(b, mask, version);
        Tensor v = value, g = grad;
        return new Slot() {
            public Backend backend() {
                return b;
            }

            public Tensor value() {
                return v;
            }

            public Tensor grad() {
                return g;
            }

            public MaskHandle mask() {
                return m;
            }

            public Tensor state(Object owner, String name) {
                return state.computeIfAbsent(new StateKey(owner, name), k -> b.allocate(v.shape()));
            }
        };
    }

    /** Forgets the state tensors {@code owner} made, in every form. */
    void clearState(Object owner) {
        List<Map<StateKey, Tensor>> maps = new ArrayList<>();
        maps.add(state);
        if (sparse != null) {
            maps.add(sparse.state);
        }
        for (Map<StateKey, Tensor> m : maps) {
            m.entrySet().removeIf(e -> {
                if (e.getKey().owner() == owner) {
                    e.getValue().storage().release();
                    return true;
                }
                return false;
            });
        }
    }

    /** The tensor holding the values now, dense or sparse, host or device: for checks that run where it is. */
    Tensor current() {
        return sparse != null ? sparse.form.values() : value;
    }

    Backend currentBackend() {
        return sparse != null ? sparse.backend : home;
    }
}
