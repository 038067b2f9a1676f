package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three products of a sparse fully connected layer with batch-major activations, as a
 * training step needs them, on a {@link CpuSparseWeight} whose pattern persists across steps:
 * <ul>
 *   <li>forward {@code y = x W^T}: for each weight row, a sum over its entries of the input
 *       column times the weight;</li>
 *   <li>input gradient {@code dx = dy W}: the same over the column index, so no transpose of the
 *       weight is built per step;</li>
 *   <li>weight gradient at the pattern, {@code dW[i,j] = dy[:,i] . x[:,j]}.</li>
 * </ul>
 * All three want a feature's values for the whole batch contiguous, so the kernels first pack
 * their batch-major operand feature-major into the weight's reusable scratch (the way BLAS packs
 * panels): O(batch x features) copying against O(nnz x batch) arithmetic. The batch is padded
 * to a multiple of {@link #TILE} with zeros, and each task works on one tile of {@code TILE}
 * examples held in four vector accumulators. Sums run in a fixed order: results do not depend
 * on thread count or JIT tier.
 */
final class BatchMajorSparse {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final int L = SparseRowKernels.L;
    /** Examples per task: four vectors of accumulators per weight row. */
    static final int TILE = 4 * L;
    private static final int BLOCK = 16;

    private BatchMajorSparse() {
    }

    static int paddedBatch(int batch) {
        return (batch + TILE - 1) / TILE * TILE;
    }

    /** {@code y (batch x rows) = x (batch x cols) W^T}. */
    static void forward(CpuSparseWeight w, float[] values, float[] x, int batch, float[] y) {
        if (batch == 0 || w.rows == 0) {
            return;
        }
        int bp = paddedBatch(batch);
        float[] xt = w.packX(w.cols * bp);
        pack(x, batch, w.cols, bp, xt);
        products(w.rowPtr, w.colIdx, values, w.rows, xt, bp, batch, y);
    }

    /**
     * {@code dx = dy W} when dx is not null, and {@code dvalues} the weight gradient at the
     * pattern. dy is batch x rows, x and dx batch x cols.
     */
    static void backward(CpuSparseWeight w, float[] values, float[] dy, float[] x, int batch, float[] dx,
            float[] dvalues) {
        int nnz = w.nnz();
        if (batch == 0) {
            java.util.Arrays.fill(dvalues, 0, nnz, 0f);
            if (dx != null) {
                java.util.Arrays.fill(dx, 0, batch * w.cols, 0f);
            }
            return;
        }
        int bp = paddedBatch(batch);
        float[] dyt = w.packDy(w.rows * bp);
        pack(dy, batch, w.rows, bp, dyt);
        if (dx != null) {
            float[] cv = w.cscValues;
            int[] perm = w.perm;
            int tasks = Parallel.tasksFor(nnz, 1 << 16);
            Parallel.run(tasks, t -> {
                int from = (int) ((long) nnz * t / tasks), to = (int) ((long) nnz * (t + 1) / tasks);
                for (int q = from; q < to; q++) {
                    cv[q] = values[perm[q]];
                }
            });
            products(w.colPtr, w.rowIdx, cv, w.cols, dyt, bp, batch, dx);
        }
        float[] xt = w.packX(w.cols * bp);
        pack(x, batch, w.cols, bp, xt);
        weightGradient(w, dyt, xt, bp, dvalues);
    }

    /**
     * {@code out[b, r] = sum_{p in row r} vals[p] * in[idx[p], b]} for b < batch, with
     * {@code in} packed feature-major (features x bp) and {@code out} batch-major (batch x rows).
     */
    private static void products(int[] ptr, int[] idx, float[] vals, int rows, float[] in, int bp, int batch,
            float[] out) {
        int tiles = bp / TILE;
        int chunks = Math.max(1, Math.min(rows, Parallel.tasksFor(((long) ptr[rows] + rows) * bp, 1 << 17) / tiles));
        int[] bounds = Parallel.balancedRows(ptr, rows, chunks);
        int parts = bounds.length - 1;
        Parallel.run(tiles * parts, task -> {
            int tile = task / parts, part = task % parts;
            int b0 = tile * TILE, valid = Math.min(TILE, batch - b0);
            float[] tmp = new float[TILE];
            for (int r = bounds[part]; r < bounds[part + 1]; r++) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                for (int p = ptr[r]; p < ptr[r + 1]; p++) {
                    FloatVector v = FloatVector.broadcast(S, vals[p]);
                    int o = idx[p] * bp + b0;
                    a0 = FloatVector.fromArray(S, in, o).fma(v, a0);
                    a1 = FloatVector.fromArray(S, in, o + L).fma(v, a1);
                    a2 = FloatVector.fromArray(S, in, o + 2 * L).fma(v, a2);
                    a3 = FloatVector.fromArray(S, in, o + 3 * L).fma(v, a3);
                }
                a0.intoArray(tmp, 0);
                a1.intoArray(tmp, L);
                a2.intoArray(tmp, 2 * L);
                a3.intoArray(tmp, 3 * L);
                for (int l = 0; l < valid; l++) {
                    out[(b0 + l) * rows + r] = tmp[l];
                }
            }
        });
    }

    /** {@code dvalues[p] = dyt[row(p), :] . xt[col(p), :]} over the padded batch. */
    private static void weightGradient(CpuSparseWeight w, float[] dyt, float[] xt, int bp, float[] dvalues) {
        int[] ptr = w.rowPtr, col = w.colIdx;
        int rows = w.rows;
        int tasks = Parallel.tasksFor(((long) ptr[rows] + rows) * bp, 1 << 17);
        int[] bounds = Parallel.balancedRows(ptr, rows, tasks);
        Parallel.run(bounds.length - 1, t -> {
            for (int r = bounds[t]; r < bounds[t + 1]; r++) {
                int ro = r * bp;
                for (int p = ptr[r]; p < ptr[r + 1]; p++) {
                    int co = col[p] * bp;
                    FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                    FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                    for (int k = 0; k < bp; k += TILE) {
                        a0 = FloatVector.fromArray(S, dyt, ro + k).fma(FloatVector.fromArray(S, xt, co + k), a0);
                        a1 = FloatVector.fromArray(S, dyt, ro + k + L).fma(FloatVector.fromArray(S, xt, co + k + L), a1);
                        a2 = FloatVector.fromArray(S, dyt, ro + k + 2 * L)
                                .fma(FloatVector.fromArray(S, xt, co + k + 2 * L), a2);
                        a3 = FloatVector.fromArray(S, dyt, ro + k + 3 * L)
                                .fma(FloatVector.fromArray(S, xt, co + k + 3 * L), a3);
                    }
                    dvalues[p] = LaneSum.of(a0.add(a1).add(a2.add(a3)));
                }
            }
        });
    }

    /**
     * {@code dst[f * bp + b] = src[b * features + f]} for b < batch, zero for the padding
     * examples; 16 x 16 blocks keep both sides in cache.
     */
    static void pack(float[] src, int batch, int features, int bp, float[] dst) {
        int fBlocks = (features + BLOCK - 1) / BLOCK;
        int tasks = Math.min(fBlocks, Parallel.tasksFor((long) features * bp, 1 << 16));
        Parallel.run(tasks, t -> {
            int f0 = (int) ((long) fBlocks * t / tasks) * BLOCK;
            int f1 = Math.min(features, (int) ((long) fBlocks * (t + 1) / tasks) * BLOCK);
            for (int fb = f0; fb < f1; fb += BLOCK) {
                int fe = Math.min(f1, fb + BLOCK);
                for (int b0 = 0; b0 < batch; b0 += BLOCK) {
                    int be = Math.min(batch, b0 + BLOCK);
                    for (int b = b0; b < be; b++) {
                        int s = b * features;
                        for (int f = fb; f < fe; f++) {
                            dst[f * bp + b] = src[s + f];
                        }
                    }
                }
                if (batch < bp) {
                    for (int f = fb; f < fe; f++) {
                        java.util.Arrays.fill(dst, f * bp + batch, f * bp + bp, 0f);
                    }
                }
            }
        });
    }
}
