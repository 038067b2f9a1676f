package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.prune4j.sparse.BsrMatrix;

/**
 * BSR SpMM with a register tile per block row: four output rows by two vectors of columns stay
 * in registers while the row's blocks stream past, so each loaded strip of X feeds four rows
 * instead of one. This is what lets block sparsity beat unstructured sparsity per stored
 * weight on a CPU: a CSR row reloads X for every row. Block heights that are multiples of four
 * only; the caller falls back to the row kernel otherwise.
 */
final class BlockRowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = 2 * L;
    private static final long MIN_TASK_WORK = 1 << 15;

    private BlockRowKernels() {
    }

    static boolean supports(BsrMatrix w) {
        return w.blockRows() % 4 == 0;
    }

    /** y (rows x n) = W x. */
    static void multiply(BsrMatrix w, float[] x, int n, float[] y) {
        int gr = w.gridRows();
        if (gr == 0 || n == 0) {
            return;
        }
        int[] ptr = w.blockRowPtr();
        int tasks = Math.min(gr, Parallel.tasksFor(w.storedValues() * (long) n + (long) w.rows() * n, MIN_TASK_WORK));
        int[] bounds = Parallel.balancedRows(ptr, gr, tasks);
        // Strips outermost: the strip of X a task reads stays in cache across its block rows.
        Parallel.run(bounds.length - 1, t -> {
            for (int j0 = 0; j0 < n; j0 += W) {
                int width = Math.min(W, n - j0);
                for (int bi = bounds[t]; bi < bounds[t + 1]; bi++) {
                    for (int r0 = 0; r0 < w.blockRows() && bi * w.blockRows() + r0 < w.rows(); r0 += 4) {
                        tile(w, bi, r0, x, n, j0, width, y);
                    }
                }
            }
        });
    }

    /** Rows bi*r + r0 .. +3 (those that exist), columns j0 .. j0 + width. */
    private static void tile(BsrMatrix w, int bi, int r0, float[] x, int n, int j0, int width, float[] y) {
        int r = w.blockRows(), c = w.blockCols(), bs = r * c, cols = w.cols();
        int[] ptr = w.blockRowPtr(), idx = w.blockColIdx();
        float[] val = w.values();
        VectorMask<Float> m0 = S.indexInRange(0, width), m1 = S.indexInRange(L, width);
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        boolean full = width == W;
        for (int p = ptr[bi]; p < ptr[bi + 1]; p++) {
            int col0 = idx[p] * c;
            int kmax = Math.min(c, cols - col0);
            int vb = p * bs + r0 * c;
            for (int kk = 0; kk < kmax; kk++) {
                int xo = (col0 + kk) * n + j0;
                FloatVector x0, x1;
                if (full) {
                    x0 = FloatVector.fromArray(S, x, xo);
                    x1 = FloatVector.fromArray(S, x, xo + L);
                } else {
                    x0 = FloatVector.fromArray(S, x, xo, m0);
                    x1 = FloatVector.fromArray(S, x, xo + L, m1);
                }
                FloatVector v0 = FloatVector.broadcast(S, val[vb + kk]);
                FloatVector v1 = FloatVector.broadcast(S, val[vb + c + kk]);
                FloatVector v2 = FloatVector.broadcast(S, val[vb + 2 * c + kk]);
                FloatVector v3 = FloatVector.broadcast(S, val[vb + 3 * c + kk]);
                a00 = x0.fma(v0, a00);
                a01 = x1.fma(v0, a01);
                a10 = x0.fma(v1, a10);
                a11 = x1.fma(v1, a11);
                a20 = x0.fma(v2, a20);
                a21 = x1.fma(v2, a21);
                a30 = x0.fma(v3, a30);
                a31 = x1.fma(v3, a31);
            }
        }
        // Stored in place, not through a helper: a vector passed to a call that C2 does not
        // inline is boxed, and then every accumulator update in the loop above allocates.
        int row = bi * r + r0, rows = w.rows();
        int o = row * n + j0;
        if (full) {
            a00.intoArray(y, o);
            a01.intoArray(y, o + L);
            if (row + 1 < rows) {
                a10.intoArray(y, o + n);
                a11.intoArray(y, o + n + L);
            }
            if (row + 2 < rows) {
                a20.intoArray(y, o + 2 * n);
                a21.intoArray(y, o + 2 * n + L);
            }
            if (row + 3 < rows) {
                a30.intoArray(y, o + 3 * n);
                a31.intoArray(y, o + 3 * n + L);
            }
        } else {
            a00.intoArray(y, o, m0);
            a01.intoArray(y, o + L, m1);
            if (row + 1 < rows) {
                a10.intoArray(y, o + n, m0);
                a11.intoArray(y, o + n + L, m1);
            }
            if (row + 2 < rows) {
                a20.intoArray(y, o + 2 * n, m0);
                a21.intoArray(y, o + 2 * n + L, m1);
            }
            if (row + 3 < rows) {
                a30.intoArray(y, o + 3 * n, m0);
                a31.intoArray(y, o + 3 * n + L, m1);
            }
        }
    }
}
