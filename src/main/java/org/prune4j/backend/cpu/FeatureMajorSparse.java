package org.prune4j.backend.cpu;

/**
 * The products of a sparse weight on feature-major activations (features x examples, as a
 * convolution's im2col matrix comes): {@code y = W x} row by row, {@code dx = W^T dy} over the
 * column index, and the weight gradient as dot products of dy's and x's rows at the pattern.
 * The sums over weight entries run in strips of examples, so a strip of x stays in cache for
 * every weight row; the dot products run in chunks of examples for the same reason, adding
 * the chunks' partial sums in a fixed order.
 */
final class FeatureMajorSparse {
    private static final int CHUNK = 1024;

    private FeatureMajorSparse() {
    }

    static void forward(CpuSparseWeight w, float[] values, float[] x, int n, float[] y) {
        products(w.rowPtr, w.colIdx, values, w.rows, x, n, y);
    }

    static void backward(CpuSparseWeight w, float[] values, float[] dy, float[] x, int n, float[] dx,
            float[] dvalues) {
        int nnz = w.nnz();
        if (dx != null) {
            float[] cv = w.cscValues;
            for (int q = 0; q < nnz; q++) {
                cv[q] = values[w.perm[q]];
            }
            products(w.colPtr, w.rowIdx, cv, w.cols, dy, n, dx);
        }
        int[] ptr = w.rowPtr, col = w.colIdx;
        int rows = w.rows;
        java.util.Arrays.fill(dvalues, 0, nnz, 0f);
        if (nnz == 0 || n == 0) {
            return;
        }
        int tasks = Parallel.tasksFor(((long) nnz + rows) * n, 1 << 17);
        int[] bounds = Parallel.balancedRows(ptr, rows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            for (int j0 = 0; j0 < n; j0 += CHUNK) {
                int len = Math.min(CHUNK, n - j0);
                for (int r = bounds[t]; r < bounds[t + 1]; r++) {
                    for (int p = ptr[r]; p < ptr[r + 1]; p++) {
                        dvalues[p] += SparseRowKernels.dot(dy, r * n + j0, x, col[p] * n + j0, len);
                    }
                }
            }
        });
    }

    /** {@code out[r, :] = sum_{p in row r} vals[p] * in[idx[p], :]}, rows of n examples. */
    private static void products(int[] ptr, int[] idx, float[] vals, int rows, float[] in, int n, float[] out) {
        if (rows == 0 || n == 0) {
            return;
        }
        int tasks = Parallel.tasksFor(((long) ptr[rows] + rows) * n, 1 << 15);
        int[] bounds = Parallel.balancedRows(ptr, rows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            for (int j0 = 0; j0 < n; j0 += SparseRowKernels.STRIP) {
                int width = Math.min(SparseRowKernels.STRIP, n - j0);
                for (int r = bounds[t]; r < bounds[t + 1]; r++) {
                    SparseRowKernels.gatherRow(idx, vals, ptr[r], ptr[r + 1], in, n, j0, width, out, r * n + j0);
                }
            }
        });
    }
}
