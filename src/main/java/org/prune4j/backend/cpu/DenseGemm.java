package org.prune4j.backend.cpu;

/**
 * Row-major single-precision GEMM on whole arrays:
 * {@code c = alpha * op(a) * op(b) + beta * c}, op(a) m x k, op(b) k x n; beta == 0 means c
 * is not read. Implementations: {@link JavaGemm} (always there) and {@link OpenBlasGemm}.
 */
public interface DenseGemm {

    String name();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
            int ldb, float beta, float[] c, int ldc);
}
