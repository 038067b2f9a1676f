package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a block-sparse layer at its stored blocks, on operands tiled as
 * {@link BlockSparseKernels} describes: each 4 x 4 tile of a block sums its sixteen dot
 * products over the examples in sixteen vector accumulators, so each loaded vector of dy and
 * of x feeds four of them, then reduces each in a fixed order. Padding entries of edge blocks
 * get zero, so no optimiser moves a weight outside the matrix.
 */
final class BlockWeightGradient {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final int L = S.length();
    private static final long MIN_TASK_WORK = 1 << 17;

    private BlockWeightGradient() {
    }

    /**
     * {@code dval} at every stored entry: the dot product over the n examples of dy's row and
     * x's column of that entry (dy tiled with {@code w.rows} features, x with {@code w.cols});
     * zero at padding.
     */
    static void of(CpuBlockWeight w, float[] dy, float[] x, int n, int tw, float[] dval) {
        int tasks = Math.max(1, Math.min(w.gridRows, Parallel.tasksFor((long) w.nnz() * Math.max(1, n),
                MIN_TASK_WORK)));
        int[] bounds = Parallel.balancedRows(w.blockRowPtr, w.gridRows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            float[] sums = new float[16 * L];
            for (int bi = bounds[t]; bi < bounds[t + 1]; bi++) {
                for (int p = w.blockRowPtr[bi]; p < w.blockRowPtr[bi + 1]; p++) {
                    int bj = w.blockColIdx[p];
                    for (int i0 = 0; i0 < w.br; i0 += 4) {
                        for (int j0 = 0; j0 < w.bc; j0 += 4) {
                            int r = bi * w.br + i0, c = bj * w.bc + j0;
                            if (r + 4 <= w.rows && c + 4 <= w.cols) {
                                gradientTile(w, dy, x, n, tw, r, c, dval, p * w.br * w.bc + i0 * w.bc + j0, sums);
                            } else {
                                gradientEdge(w, dy, x, n, tw, r, c, dval, p * w.br * w.bc + i0 * w.bc + j0);
                            }
                        }
                    }
                }
            }
        });
    }

    /** The 4 x 4 entries of rows r.., columns c.. (all inside the matrix), written from {@code o} with row stride bc. */
    private static void gradientTile(CpuBlockWeight w, float[] dy, float[] x, int n, int tw, int r, int c,
            float[] dval, int o, float[] sums) {
        int rows = w.rows, cols = w.cols, bc = w.bc;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S),
                a03 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S),
                a13 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S),
                a23 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S),
                a33 = FloatVector.zero(S);
        float[] tail = null;
        for (int t = 0, tiles = BlockSparseKernels.tiles(n, tw); t < tiles; t++) {
            int width = Math.min(tw, n - t * tw);
            int yo = t * rows * tw + r * tw, xo = t * cols * tw + c * tw;
            int j = 0;
            for (; j + L <= width; j += L) {
                FloatVector d0 = FloatVector.fromArray(S, dy, yo + j);
                FloatVector d1 = FloatVector.fromArray(S, dy, yo + tw + j);
                FloatVector d2 = FloatVector.fromArray(S, dy, yo + 2 * tw + j);
                FloatVector d3 = FloatVector.fromArray(S, dy, yo + 3 * tw + j);
                FloatVector x0 = FloatVector.fromArray(S, x, xo + j);
                a00 = d0.fma(x0, a00);
                a10 = d1.fma(x0, a10);
                a20 = d2.fma(x0, a20);
                a30 = d3.fma(x0, a30);
                FloatVector x1 = FloatVector.fromArray(S, x, xo + tw + j);
                a01 = d0.fma(x1, a01);
                a11 = d1.fma(x1, a11);
                a21 = d2.fma(x1, a21);
                a31 = d3.fma(x1, a31);
                FloatVector x2 = FloatVector.fromArray(S, x, xo + 2 * tw + j);
                a02 = d0.fma(x2, a02);
                a12 = d1.fma(x2, a12);
                a22 = d2.fma(x2, a22);
                a32 = d3.fma(x2, a32);
                FloatVector x3 = FloatVector.fromArray(S, x, xo + 3 * tw + j);
                a03 = d0.fma(x3, a03);
                a13 = d1.fma(x3, a13);
                a23 = d2.fma(x3, a23);
                a33 = d3.fma(x3, a33);
            }
            if (j < width) {
                if (tail == null) {
                    tail = new float[16];
                }
                for (int i = 0; i < 4; i++) {
                    for (int k = 0; k < 4; k++) {
                        float sum = tail[i * 4 + k];
                        for (int jj = j; jj < width; jj++) {
                            sum = Math.fma(dy[yo + i * tw + jj], x[xo + k * tw + jj], sum);
                        }
                        tail[i * 4 + k] = sum;
                    }
                }
            }
        }
        // Reduced through a scratch row in a loop: sixteen LaneSum calls in a row after the
        // loop are not hot enough for C2 to inline, and a vector passed to a call is boxed.
        a00.intoArray(sums, 0);
        a01.intoArray(sums, L);
        a02.intoArray(sums, 2 * L);
        a03.intoArray(sums, 3 * L);
        a10.intoArray(sums, 4 * L);
        a11.intoArray(sums, 5 * L);
        a12.intoArray(sums, 6 * L);
        a13.intoArray(sums, 7 * L);
        a20.intoArray(sums, 8 * L);
        a21.intoArray(sums, 9 * L);
        a22.intoArray(sums, 10 * L);
        a23.intoArray(sums, 11 * L);
        a30.intoArray(sums, 12 * L);
        a31.intoArray(sums, 13 * L);
        a32.intoArray(sums, 14 * L);
        a33.intoArray(sums, 15 * L);
        for (int k = 0; k < 16; k++) {
            dval[o + (k >> 2) * bc + (k & 3)] = LaneSum.of(FloatVector.fromArray(S, sums, k * L));
        }
        if (tail != null) {
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 4; k++) {
                    dval[o + i * bc + k] += tail[i * 4 + k];
                }
            }
        }
    }

    /** A 4 x 4 tile that overhangs the matrix: entries inside by plain dot products, padding zero. */
    private static void gradientEdge(CpuBlockWeight w, float[] dy, float[] x, int n, int tw, int r, int c,
            float[] dval, int o) {
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                float sum = 0f;
                if (r + i < w.rows && c + k < w.cols) {
                    for (int t = 0, tiles = BlockSparseKernels.tiles(n, tw); t < tiles; t++) {
                        int width = Math.min(tw, n - t * tw);
                        int yo = t * w.rows * tw + (r + i) * tw, xo = t * w.cols * tw + (c + k) * tw;
                        for (int j = 0; j < width; j++) {
                            sum = Math.fma(dy[yo + j], x[xo + j], sum);
                        }
                    }
                }
                dval[o + i * w.bc + k] = sum;
            }
        }
    }
}
