package org.prune4j.backend;

import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Device;
import org.prune4j.tensor.Tensor;

/**
 * The kernels that training, pruning and benchmarks need, and the memory they run on. Outputs
 * are supplied by the caller (no hidden allocation in hot loops); every method checks shapes
 * through {@link Shapes} and fails with a message naming both shapes. All matrices are
 * row-major.
 *
 * <p>Tensors have a home ({@link Tensor#device()}): a backend computes on tensors in its own
 * memory ({@link #allocate}); crossings between host and device memory happen only through
 * {@link #copy} or a tensor's explicit host accessors, and are counted by {@link #transfers()}.
 * The products (gemm, spmm, sddmm) also accept host tensors on a device backend for one-off
 * use, copying them (counted), so benchmarks and tests can call them directly.
 *
 * <p>The network operations of training are in {@link TrainingOps}. A backend says which
 * groups it runs in {@link #capabilities()}; methods it does not run throw, and
 * {@link Backends#routed} sends them to the CPU instead, logging once per group.
 */
public interface Backend extends TrainingOps, AutoCloseable {

    /** Short name, as accepted by {@code --backend}. */
    String name();

    /** One line on what this instance runs on (threads, device, dense library). */
    String description();

    /** What this backend runs; the default is the products and elementwise operations only. */
    default Capabilities capabilities() {
        return Capabilities.productsOnly();
    }

    /** Where this backend's tensors live. */
    default Device device() {
        return Device.CPU;
    }

    /** A zero-filled tensor in this backend's memory. */
    default Tensor allocate(int... shape) {
        return Tensor.zeros(shape);
    }

    /**
     * Copies all of {@code src} into {@code dst} (same size), whichever memory each is in;
     * host-device crossings are counted in {@link #transfers()}.
     */
    default void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) {
            throw new IllegalArgumentException("copy: " + src.shapeString() + " into " + dst.shapeString()
                    + " needs equal sizes");
        }
        if (src.isHost()) {
            dst.copyFromHost(src.data());
        } else if (dst.isHost()) {
            src.storage().read(0, dst.data(), 0, dst.size());
        } else {
            dst.copyFromHost(src.toHost().data());
        }
    }

    /** A tensor in this backend's memory holding {@code t}'s values: {@code t} itself when it already lives here. */
    default Tensor resident(Tensor t) {
        if (t.device().equals(device())) {
            return t;
        }
        Tensor r = allocate(t.shape());
        copy(t, r);
        return r;
    }

    /** Waits until the work queued so far is done (device backends run asynchronously); for timing. */
    default void synchronize() {
    }

    /** Host-device copies made so far. */
    default TransferCounter.Snapshot transfers() {
        return new TransferCounter.Snapshot(0, 0, 0, 0);
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c}; with beta == 0, c is not read. */
    @Requires(Feature.GEMM)
    void gemm(Op opA, Op opB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@code y = op(w) * x}, overwriting y. With {@code opW == T} this is the backward product
     * {@code w^T * dY}. Every format of {@link SparseMatrix} is supported.
     */
    @Requires(Feature.SPMM)
    void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y);

    /**
     * Sampled dense-dense product, the gradient of a sparse weight: for each stored entry
     * (i, j) of {@code pattern}, {@code out[p] = sum_k a[i,k] * b[j,k]}. a is rows x K, b is
     * cols x K, out has one value per stored entry, in CSR order.
     */
    @Requires(Feature.SDDMM)
    void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out);

    /** {@code y += alpha * x}. */
    @Requires(Feature.ELEMENTWISE)
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code x *= alpha}. */
    @Requires(Feature.ELEMENTWISE)
    void scale(float alpha, Tensor x);

    /** Elementwise product {@code out = a * b}; out may be a or b. */
    @Requires(Feature.ELEMENTWISE)
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = max(x, 0)}; out may be x. */
    @Requires(Feature.ELEMENTWISE)
    void relu(Tensor x, Tensor out);

    /** {@code dx = dy where x > 0, else 0}; dx may be dy. */
    @Requires(Feature.ELEMENTWISE)
    void reluBackward(Tensor x, Tensor dy, Tensor dx);

    /** Adds the vector {@code bias} (length cols) to every row of matrix {@code m}. */
    @Requires(Feature.ELEMENTWISE)
    void addRowVector(Tensor m, Tensor bias);

    /** {@code out[j] = sum_i m[i, j]}: the bias gradient. */
    @Requires(Feature.ELEMENTWISE)
    void sumRows(Tensor m, Tensor out);

    /** Sets every value of {@code t}; host tensors are filled here, device backends override it. */
    @Requires(Feature.ELEMENTWISE)
    default void fill(Tensor t, float value) {
        if (!t.isHost()) {
            throw Unsupported.of(name(), Feature.ELEMENTWISE, "fill of a tensor on " + t.device());
        }
        java.util.Arrays.fill(t.data(), value);
    }

    @Override
    default void close() {
    }
}
