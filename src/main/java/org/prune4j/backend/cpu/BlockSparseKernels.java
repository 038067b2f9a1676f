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
                    sumTile(w.blockRowPtr, bi, null, w.blockColIdx, w.bc, w.cols, val, w.br * w.bc,
                            (r0 - bi * w.br) * w.bc, w.bc, 1, in, inBase, tw, width, r0, Math.min(4, w.rows - r0),
                            out, outBase);
                }
            }
        });
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
                    sumTile(w.blockColPtr, bj, w.colBlock, w.colBlockRow, w.br, w.rows, val, w.br * w.bc,
                            c0 - bj * w.bc, 1, w.bc, dy, dyBase, tw, width, c0, Math.min(4, w.cols - c0), dx, dxBase);
                }
            }
        });
    }

    /**
     * Four outputs {@code o0 ..} (the first {@code nOut} are written) of one tile: output i is
     * the sum, over the blocks q of group g ({@code ptr[g] .. ptr[g+1]}) and the k inside each
     * block, of {@code val[block * bs + lead + i * oStride + k * kStride]} times input feature
     * {@code inBlock[q] * inSide + k}. The forward product walks a block row (a block's inputs
     * are its columns); the input gradient walks a block column of the same storage with the
     * strides swapped (a block's inputs are its rows), so one register tile serves both.
     *
     * @param blocks each entry's block in storage order, or null when entry q is block q
     */
    private static void sumTile(int[] ptr, int g, int[] blocks, int[] inBlock, int inSide, int inLimit, float[] val,
            int bs, int lead, int oStride, int kStride, float[] in, int inBase, int tw, int width, int o0, int nOut,
            float[] out, int outBase) {
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
            for (int q = ptr[g]; q < ptr[g + 1]; q++) {
                int first = inBlock[q] * inSide, kmax = Math.min(inSide, inLimit - first);
                int vb = (blocks == null ? q : blocks[q]) * bs + lead;
                for (int kk = 0; kk < kmax; kk++) {
                    int xo = inBase + (first + kk) * tw + s, vo = vb + kk * kStride;
                    FloatVector x0 = FloatVector.fromArray(S, in, xo), x1 = FloatVector.fromArray(S, in, xo + L);
                    FloatVector x2 = FloatVector.fromArray(S, in, xo + 2 * L);
                    FloatVector x3 = FloatVector.fromArray(S, in, xo + 3 * L);
                    FloatVector v = FloatVector.broadcast(S, val[vo]);
                    a00 = x0.fma(v, a00);
                    a01 = x1.fma(v, a01);
                    a02 = x2.fma(v, a02);
                    a03 = x3.fma(v, a03);
                    v = FloatVector.broadcast(S, val[vo + oStride]);
                    a10 = x0.fma(v, a10);
                    a11 = x1.fma(v, a11);
                    a12 = x2.fma(v, a12);
                    a13 = x3.fma(v, a13);
                    v = FloatVector.broadcast(S, val[vo + 2 * oStride]);
                    a20 = x0.fma(v, a20);
                    a21 = x1.fma(v, a21);
                    a22 = x2.fma(v, a22);
                    a23 = x3.fma(v, a23);
                    v = FloatVector.broadcast(S, val[vo + 3 * oStride]);
                    a30 = x0.fma(v, a30);
                    a31 = x1.fma(v, a31);
                    a32 = x2.fma(v, a32);
                    a33 = x3.fma(v, a33);
                }
            }
            // Stored in place: a vector handed to a call C2 does not inline is boxed, and then
            // every accumulator update above allocates.
            int o = outBase + o0 * tw + s;
            a00.intoArray(out, o);
            a01.intoArray(out, o + L);
            a02.intoArray(out, o + 2 * L);
            a03.intoArray(out, o + 3 * L);
            if (nOut > 1) {
                o += tw;
                a10.intoArray(out, o);
                a11.intoArray(out, o + L);
                a12.intoArray(out, o + 2 * L);
                a13.intoArray(out, o + 3 * L);
            }
            if (nOut > 2) {
                o += tw;
                a20.intoArray(out, o);
                a21.intoArray(out, o + L);
                a22.intoArray(out, o + 2 * L);
                a23.intoArray(out, o + 3 * L);
            }
            if (nOut > 3) {
                o += tw;
                a30.intoArray(out, o);
                a31.intoArray(out, o + L);
                a32.intoArray(out, o + 2 * L);
                a33.intoArray(out, o + 3 * L);
            }
        }
        for (int j = s; j < width; j++) {
            for (int i = 0; i < nOut; i++) {
                float sum = 0f;
                for (int q = ptr[g]; q < ptr[g + 1]; q++) {
                    int first = inBlock[q] * inSide, kmax = Math.min(inSide, inLimit - first);
                    int vb = (blocks == null ? q : blocks[q]) * bs + lead + i * oStride;
                    for (int kk = 0; kk < kmax; kk++) {
                        sum = Math.fma(in[inBase + (first + kk) * tw + j], val[vb + kk * kStride], sum);
                    }
                }
                out[outBase + (o0 + i) * tw + j] = sum;
            }
        }
    }

}
