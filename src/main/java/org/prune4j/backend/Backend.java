package org.prune4j.backend;

import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The kernels that training, pruning and benchmarks need. Outputs are supplied by the caller
 * (no hidden allocation in hot loops); every method checks shapes through {@link Shapes} and
 * fails with a message naming both shapes. All matrices are row-major.
 */
public interface Backend extends AutoCloseable {

    /** Short name, as accepted by {@code --backend}. */
    String name();

    /** One line on what this instance runs on (threads, device, dense library). */
    String description();

    /** {@code c = alpha * op(a) * op(b) + beta * c}; with beta == 0, c is not read. */
    void gemm(Op opA, Op opB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@code y = op(w) * x}, overwriting y. With {@code opW == T} this is the backward product
     * {@code w^T * dY}. Every format of {@link SparseMatrix} is supported.
     */
    void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y);

    /**
     * Sampled dense-dense product, the gradient of a sparse weight: for each stored entry
     * (i, j) of {@code pattern}, {@code out[p] = sum_k a[i,k] * b[j,k]}. a is rows x K, b is
     * cols x K, out has one value per stored entry, in CSR order.
     */
    void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out);

    /** {@code y += alpha * x}. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code x *= alpha}. */
    void scale(float alpha, Tensor x);

    /** Elementwise product {@code out = a * b}; out may be a or b. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = max(x, 0)}; out may be x. */
    void relu(Tensor x, Tensor out);

    /** {@code dx = dy where x > 0, else 0}; dx may be dy. */
    void reluBackward(Tensor x, Tensor dy, Tensor dx);

    /** Adds the vector {@code bias} (length cols) to every row of matrix {@code m}. */
    void addRowVector(Tensor m, Tensor bias);

    /** {@code out[j] = sum_i m[i, j]}: the bias gradient. */
    void sumRows(Tensor m, Tensor out);

    @Override
    default void close() {
    }
}
