package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three products of a training step on a weight stored as whole blocks
 * ({@link CpuBlockWeight}): {@code out = W in}, the input gradient {@code W^T dy}, and the
 * weight gradient at the stored blocks. What a block buys over CSR is reuse in registers:
 * <ul>
 *   <li>the sums over weights keep four output rows (or, for the input gradient, four input
 *       columns) by four vectors of examples in registers, so each loaded strip of activations
 *       feeds four rows where a CSR row reloads it for every row;</li>
 *   <li>the weight gradient ({@link BlockWeightGradient}) computes a four-by-four tile of a
 *       block at once, so each loaded vector of dy and of x feeds four dot products where CSR
 *       loads both per entry.</li>
 * </ul>
 * Activations are <em>tiled</em>: {@code features x n} values cut into tiles of {@code tw}
 * examples, value (f, j) at {@code (j / tw) * features * tw + f * tw + j % tw}. A feature-major
 * operand (a convolution's im2col matrix) is one tile ({@code tw = n}); a batch-major one is
 * packed into tiles of {@link BatchMajorSparse#TILE} first, so both layouts run these kernels.
 * Within a tile, strips of {@link #STRIP} examples run on vectors and the last partial strip
 * on scalars; which path an example takes depends only on the shapes, and sums run in a fixed
 * order, so results do not depend on thread count or JIT tier.
 */
final class BlockSparseKernels {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final int L = S.length();
    /** Examples per register tile: four vectors. */
    static final int STRIP = 4 * L;
    private static final long MIN_TASK_WORK = 1 << 17;

    private BlockSparseKernels() {
    }

    static int tiles(int n, int tw) {
        return n == 0 ? 0 : (n + tw - 1) / tw;
    }

    /** {@code out} ({@code w.rows} features) {@code = W in} ({@code w.cols} features), both tiled alike. */
    static void forward(CpuBlockWeight w, float[] val, float[] in, int n, int tw, float[] out) {
        int tiles = tiles(n, tw);
        if (tiles == 0) {
            return;
        }
        int parts = Math.max(1, Parallel.tasksFor((long) w.nnz() * n + (long) w.rows * n, MIN_TASK_WORK) / tiles);
        int[] bounds = Parallel.balancedRows(w.blockRowPtr, w.gridRows, parts);
        int np = bounds.length - 1;
        Parallel.run(tiles * np, task -> {
            int t = task / np, part = task % np;
            int width = Math.min(tw, n - t * tw);
            int inBase = t * w.cols * tw, outBase = t * w.rows * tw;
            for (int bi = bounds[part]; bi < bounds[part + 1]; bi++) {
                for (int r0 = bi * w.br; r0 < Math.min(w.rows, (bi + 1) * w.br); r0 += 4) {
                    forwardRows(w, val, in, inBase, tw, width, bi, r0, out, outBase);
                }
            }
        });
    }

    /** Rows r0 .. r0+3 of block row bi (those that exist) for one tile. */
    private static void forwardRows(CpuBlockWeight w, float[] val, float[] in, int inBase, int tw, int width, int bi,
            int r0, float[] out, int outBase) {
        int bc = w.bc, bs = w.br * bc, cols = w.cols, nr = Math.min(4, w.rows - r0);
        int lead = (r0 - bi * w.br) * bc;
        int[] ptr = w.blockRowPtr, idx = w.blockColIdx;
        int s = 0;
        for (; s + STRIP <= width; s += STRIP) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S),
                    a03 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S),
                    a13 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S),
                    a23 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S),
                    a33 = FloatVector.zero(S);
            for (int p = ptr[bi]; p < ptr[bi + 1]; p++) {
                int c0 = idx[p] * bc, kmax = Math.min(bc, cols - c0), vb = p * bs + lead;
                for (int kk = 0; kk < kmax; kk++) {
                    int xo = inBase + (c0 + kk) * tw + s;
                    FloatVector x0 = FloatVector.fromArray(S, in, xo), x1 = FloatVector.fromArray(S, in, xo + L);
                    FloatVector x2 = FloatVector.fromArray(S, in, xo + 2 * L);
                    FloatVector x3 = FloatVector.fromArray(S, in, xo + 3 * L);
                    FloatVector v = FloatVector.broadcast(S, val[vb + kk]);
                    a00 = x0.fma(v, a00);
                    a01 = x1.fma(v, a01);
                    a02 = x2.fma(v, a02);
                    a03 = x3.fma(v, a03);
                    v = FloatVector.broadcast(S, val[vb + bc + kk]);
                    a10 = x0.fma(v, a10);
                    a11 = x1.fma(v, a11);
                    a12 = x2.fma(v, a12);
                    a13 = x3.fma(v, a13);
                    v = FloatVector.broadcast(S, val[vb + 2 * bc + kk]);
                    a20 = x0.fma(v, a20);
                    a21 = x1.fma(v, a21);
                    a22 = x2.fma(v, a22);
                    a23 = x3.fma(v, a23);
                    v = FloatVector.broadcast(S, val[vb + 3 * bc + kk]);
                    a30 = x0.fma(v, a30);
                    a31 = x1.fma(v, a31);
                    a32 = x2.fma(v, a32);
                    a33 = x3.fma(v, a33);
                }
            }
            // Stored in place: a vector handed to a call C2 does not inline is boxed, and then
            // every accumulator update above allocates.
            int o = outBase + r0 * tw + s;
            a00.intoArray(out, o);
            a01.intoArray(out, o + L);
            a02.intoArray(out, o + 2 * L);
            a03.intoArray(out, o + 3 * L);
            if (nr > 1) {
                o += tw;
                a10.intoArray(out, o);
                a11.intoArray(out, o + L);
                a12.intoArray(out, o + 2 * L);
                a13.intoArray(out, o + 3 * L);
            }
            if (nr > 2) {
                o += tw;
                a20.intoArray(out, o);
                a21.intoArray(out, o + L);
                a22.intoArray(out, o + 2 * L);
                a23.intoArray(out, o + 3 * L);
            }
            if (nr > 3) {
                o += tw;
                a30.intoArray(out, o);
                a31.intoArray(out, o + L);
                a32.intoArray(out, o + 2 * L);
                a33.intoArray(out, o + 3 * L);
            }
        }
        for (int j = s; j < width; j++) {
            for (int i = 0; i < nr; i++) {
                float sum = 0f;
                for (int p = ptr[bi]; p < ptr[bi + 1]; p++) {
                    int c0 = idx[p] * bc, kmax = Math.min(bc, cols - c0), vb = p * bs + lead + i * bc;
                    for (int kk = 0; kk < kmax; kk++) {
                        sum = Math.fma(in[inBase + (c0 + kk) * tw + j], val[vb + kk], sum);
                    }
                }
                out[outBase + (r0 + i) * tw + j] = sum;
            }
        }
    }

    /** {@code dx} ({@code w.cols} features) {@code = W^T dy} ({@code w.rows} features), both tiled alike. */
    static void inputGradient(CpuBlockWeight w, float[] val, float[] dy, int n, int tw, float[] dx) {
        int tiles = tiles(n, tw);
        if (tiles == 0) {
            return;
        }
        int parts = Math.max(1, Parallel.tasksFor((long) w.nnz() * n + (long) w.cols * n, MIN_TASK_WORK) / tiles);
        int[] bounds = Parallel.balancedRows(w.blockColPtr, w.gridCols, parts);
        int np = bounds.length - 1;
        Parallel.run(tiles * np, task -> {
            int t = task / np, part = task % np;
            int width = Math.min(tw, n - t * tw);
            int dyBase = t * w.rows * tw, dxBase = t * w.cols * tw;
            for (int bj = bounds[part]; bj < bounds[part + 1]; bj++) {
                for (int c0 = bj * w.bc; c0 < Math.min(w.cols, (bj + 1) * w.bc); c0 += 4) {
                    gradientColumns(w, val, dy, dyBase, tw, width, bj, c0, dx, dxBase);
                }
            }
        });
    }

    /** Input columns c0 .. c0+3 of block column bj (those that exist) for one tile. */
    private static void gradientColumns(CpuBlockWeight w, float[] val, float[] dy, int dyBase, int tw, int width,
            int bj, int c0, float[] dx, int dxBase) {
        int br = w.br, bc = w.bc, bs = br * bc, rows = w.rows, nc = Math.min(4, w.cols - c0);
        int lead = c0 - bj * bc;
        int[] ptr = w.blockColPtr, blockRow = w.colBlockRow, block = w.colBlock;
        int s = 0;
        for (; s + STRIP <= width; s += STRIP) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S),
                    a03 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S),
                    a13 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S),
                    a23 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S),
                    a33 = FloatVector.zero(S);
            for (int q = ptr[bj]; q < ptr[bj + 1]; q++) {
                int r0 = blockRow[q] * br, kmax = Math.min(br, rows - r0), vb = block[q] * bs + lead;
                for (int kk = 0; kk < kmax; kk++) {
                    int yo = dyBase + (r0 + kk) * tw + s, vo = vb + kk * bc;
                    FloatVector d0 = FloatVector.fromArray(S, dy, yo), d1 = FloatVector.fromArray(S, dy, yo + L);
                    FloatVector d2 = FloatVector.fromArray(S, dy, yo + 2 * L);
                    FloatVector d3 = FloatVector.fromArray(S, dy, yo + 3 * L);
                    FloatVector v = FloatVector.broadcast(S, val[vo]);
                    a00 = d0.fma(v, a00);
                    a01 = d1.fma(v, a01);
                    a02 = d2.fma(v, a02);
                    a03 = d3.fma(v, a03);
                    v = FloatVector.broadcast(S, val[vo + 1]);
                    a10 = d0.fma(v, a10);
                    a11 = d1.fma(v, a11);
                    a12 = d2.fma(v, a12);
                    a13 = d3.fma(v, a13);
                    v = FloatVector.broadcast(S, val[vo + 2]);
                    a20 = d0.fma(v, a20);
                    a21 = d1.fma(v, a21);
                    a22 = d2.fma(v, a22);
                    a23 = d3.fma(v, a23);
                    v = FloatVector.broadcast(S, val[vo + 3]);
                    a30 = d0.fma(v, a30);
                    a31 = d1.fma(v, a31);
                    a32 = d2.fma(v, a32);
                    a33 = d3.fma(v, a33);
                }
            }
            int o = dxBase + c0 * tw + s;
            a00.intoArray(dx, o);
            a01.intoArray(dx, o + L);
            a02.intoArray(dx, o + 2 * L);
            a03.intoArray(dx, o + 3 * L);
            if (nc > 1) {
                o += tw;
                a10.intoArray(dx, o);
                a11.intoArray(dx, o + L);
                a12.intoArray(dx, o + 2 * L);
                a13.intoArray(dx, o + 3 * L);
            }
            if (nc > 2) {
                o += tw;
                a20.intoArray(dx, o);
                a21.intoArray(dx, o + L);
                a22.intoArray(dx, o + 2 * L);
                a23.intoArray(dx, o + 3 * L);
            }
            if (nc > 3) {
                o += tw;
                a30.intoArray(dx, o);
                a31.intoArray(dx, o + L);
                a32.intoArray(dx, o + 2 * L);
                a33.intoArray(dx, o + 3 * L);
            }
        }
        for (int j = s; j < width; j++) {
            for (int i = 0; i < nc; i++) {
                float sum = 0f;
                for (int q = ptr[bj]; q < ptr[bj + 1]; q++) {
                    int r0 = blockRow[q] * br, kmax = Math.min(br, rows - r0), vb = block[q] * bs + lead + i;
                    for (int kk = 0; kk < kmax; kk++) {
                        sum = Math.fma(dy[dyBase + (r0 + kk) * tw + j], val[vb + kk * bc], sum);
                    }
                }
                dx[dxBase + (c0 + i) * tw + j] = sum;
            }
        }
    }
}
