package org.prune4j.backend.cpu;

import java.util.Arrays;
import org.prune4j.backend.Op;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.NmMatrix;
import org.prune4j.sparse.TwoFourMatrix;

/**
 * Sparse products on the CPU for every format. CSR and BSR transposed products run on the
 * cached transpose (built once per weight); N:M and 2:4 decode a row at a time into
 * (column, value) pairs and share {@link SparseRowKernels}; channel-compacted weights become a
 * dense GEMM on the compacted block.
 */
final class CpuSparseKernels {
    private static final long MIN_TASK_WORK = 1 << 15;

    private CpuSparseKernels() {
    }

    /** Fills col/val with the stored entries of one row and returns how many. */
    @FunctionalInterface
    private interface RowDecoder {
        int decode(int row, int[] col, float[] val);
    }

    /** y (rows x n) = W x, CSR. */
    static void csr(CsrMatrix w, float[] x, int n, float[] y) {
        int rows = w.rows();
        if (rows == 0 || n == 0) {
            return;
        }
        int[] ptr = w.rowPtr(), col = w.colIdx();
        float[] val = w.values();
        int tasks = Parallel.tasksFor(((long) w.nnz() + rows) * n, MIN_TASK_WORK);
        int[] bounds = Parallel.balancedRows(ptr, rows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            for (int j0 = 0; j0 < n; j0 += SparseRowKernels.STRIP) {
                int width = Math.min(SparseRowKernels.STRIP, n - j0);
                for (int i = bounds[t]; i < bounds[t + 1]; i++) {
                    SparseRowKernels.gatherRow(col, val, ptr[i], ptr[i + 1], x, n, j0, width, y, i * n + j0);
                }
            }
        });
    }

    static void bsr(BsrMatrix w, float[] x, int n, float[] y) {
        if (BlockRowKernels.supports(w)) {
            BlockRowKernels.multiply(w, x, n, y);
            return;
        }
        int r = w.blockRows(), c = w.blockCols(), bs = r * c;
        int[] bptr = w.blockRowPtr(), bidx = w.blockColIdx();
        float[] bval = w.values();
        int cols = w.cols();
        int maxBlocks = 0;
        for (int bi = 0; bi < w.gridRows(); bi++) {
            maxBlocks = Math.max(maxBlocks, bptr[bi + 1] - bptr[bi]);
        }
        gather(w.rows(), n, maxBlocks * c, w.storedValues(), (row, colOut, valOut) -> {
            int bi = row / r, rr = row % r, count = 0;
            for (int p = bptr[bi]; p < bptr[bi + 1]; p++) {
                int j0 = bidx[p] * c, base = p * bs + rr * c;
                for (int cc = 0; cc < c && j0 + cc < cols; cc++) {
                    colOut[count] = j0 + cc;
                    valOut[count++] = bval[base + cc];
                }
            }
            return count;
        }, x, y);
    }

    static void nm(NmMatrix w, Op op, float[] x, int n, float[] y) {
        int groups = w.groups(), slots = w.n(), m = w.m(), cols = w.cols();
        float[] val = w.values();
        byte[] pos = w.positions();
        RowDecoder dec = (row, colOut, valOut) -> {
            int count = 0, base = row * groups * slots;
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < slots; s++) {
                    int q = base + g * slots + s;
                    int j = g * m + pos[q];
                    if (j < cols) {
                        colOut[count] = j;
                        valOut[count++] = val[q];
                    }
                }
            }
            return count;
        };
        run(op, w.rows(), w.cols(), n, groups * slots, w.storedValues(), dec, x, y);
    }

    static void twoFour(TwoFourMatrix w, Op op, float[] x, int n, float[] y) {
        int half = w.paddedCols() / 2, cols = w.cols();
        float[] val = w.values();
        RowDecoder dec = (row, colOut, valOut) -> {
            int count = 0;
            for (int g = 0; g < half / 2; g++) {
                int nib = w.nibble(row, g);
                int j0 = 4 * g + (nib & 3), j1 = 4 * g + ((nib >> 2) & 3);
                if (j0 < cols) {
                    colOut[count] = j0;
                    valOut[count++] = val[row * half + 2 * g];
                }
                if (j1 < cols) {
                    colOut[count] = j1;
                    valOut[count++] = val[row * half + 2 * g + 1];
                }
            }
            return count;
        };
        run(op, w.rows(), w.cols(), n, half, w.storedValues(), dec, x, y);
    }

    private static void run(Op op, int rows, int cols, int n, int maxRow, long stored, RowDecoder dec, float[] x,
            float[] y) {
        if (op == Op.N) {
            gather(rows, n, maxRow, stored, dec, x, y);
        } else {
            scatter(rows, cols, n, maxRow, dec, x, y);
        }
    }

    /** y (rows x n) = W x, rows split evenly (these formats have rows of similar length). */
    private static void gather(int rows, int n, int maxRow, long stored, RowDecoder dec, float[] x, float[] y) {
        if (rows == 0 || n == 0) {
            return;
        }
        int tasks = Math.min(rows, Parallel.tasksFor((stored + rows) * n, MIN_TASK_WORK));
        Parallel.run(tasks, t -> {
            int r0 = (int) ((long) rows * t / tasks), r1 = (int) ((long) rows * (t + 1) / tasks);
            int[] col = new int[maxRow];
            float[] val = new float[maxRow];
            for (int j0 = 0; j0 < n; j0 += SparseRowKernels.STRIP) {
                int width = Math.min(SparseRowKernels.STRIP, n - j0);
                for (int i = r0; i < r1; i++) {
                    int count = dec.decode(i, col, val);
                    SparseRowKernels.gatherRow(col, val, 0, count, x, n, j0, width, y, i * n + j0);
                }
            }
        });
    }

    /**
     * y (cols x n) = W^T dy. Each task owns a strip of y's columns, so scattered updates never
     * race; rows are decoded once per strip.
     */
    private static void scatter(int rows, int cols, int n, int maxRow, RowDecoder dec, float[] dy, float[] y) {
        Arrays.fill(y, 0, cols * n, 0f);
        if (rows == 0 || n == 0) {
            return;
        }
        int strips = (n + SparseRowKernels.STRIP - 1) / SparseRowKernels.STRIP;
        Parallel.run(strips, s -> {
            int j0 = s * SparseRowKernels.STRIP, width = Math.min(SparseRowKernels.STRIP, n - j0);
            int[] col = new int[maxRow];
            float[] val = new float[maxRow];
            for (int i = 0; i < rows; i++) {
                int count = dec.decode(i, col, val);
                SparseRowKernels.scatterRow(col, val, 0, count, dy, i * n + j0, width, y, n, j0);
            }
        });
    }

    /** y = W x (or W^T x) for a channel-compacted W: a dense GEMM on the kept block. */
    static void compacted(CompactedMatrix w, Op op, float[] x, int n, float[] y, DenseGemm gemm) {
        int[] inIdx = op == Op.N ? w.keptCols() : w.keptRows();
        int[] outIdx = op == Op.N ? w.keptRows() : w.keptCols();
        int outRows = op == Op.N ? w.rows() : w.cols();
        boolean gatherAll = inIdx.length == (op == Op.N ? w.cols() : w.rows());
        float[] xg = gatherAll ? x : gatherRows(x, n, inIdx);
        float[] block = w.block().data();
        int kr = w.keptRows().length, kc = w.keptCols().length;
        float[] out = new float[outIdx.length * n];
        if (op == Op.N) {
            gemm.sgemm(false, false, kr, n, kc, 1f, block, kc, xg, n, 0f, out, n);
        } else {
            gemm.sgemm(true, false, kc, n, kr, 1f, block, kc, xg, n, 0f, out, n);
        }
        Arrays.fill(y, 0, outRows * n, 0f);
        for (int a = 0; a < outIdx.length; a++) {
            System.arraycopy(out, a * n, y, outIdx[a] * n, n);
        }
    }

    private static float[] gatherRows(float[] x, int n, int[] idx) {
        float[] g = new float[idx.length * n];
        for (int a = 0; a < idx.length; a++) {
            System.arraycopy(x, idx[a] * n, g, a * n, n);
        }
        return g;
    }

    /** out[p] = a[i,:] . b[col[p],:] for every stored entry (i, col[p]) of the pattern. */
    static void sddmm(float[] a, float[] b, int k, CsrMatrix pattern, float[] out) {
        int rows = pattern.rows();
        int[] ptr = pattern.rowPtr(), col = pattern.colIdx();
        if (rows == 0) {
            return;
        }
        int tasks = Parallel.tasksFor(((long) pattern.nnz() + rows) * Math.max(k, 1), MIN_TASK_WORK);
        int[] bounds = Parallel.balancedRows(ptr, rows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            for (int i = bounds[t]; i < bounds[t + 1]; i++) {
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    out[p] = SparseRowKernels.dot(a, i * k, b, col[p] * k, k);
                }
            }
        });
    }
}
