package org.prune4j.backend.cpu;

import org.prune4j.backend.ActivationLayout;

/**
 * A block-sparse layer's forward and backward products in either activation layout: a
 * feature-major operand goes to {@link BlockSparseKernels} as it is (one tile), a batch-major
 * one is packed into tiles of {@link BatchMajorSparse#TILE} examples in the weight's scratch,
 * computed, and unpacked, the same O(batch x features) copies the CSR kernels make.
 */
final class BlockSparseProducts {
    private BlockSparseProducts() {
    }

    static void forward(CpuBlockWeight w, float[] values, float[] x, int n, float[] y, ActivationLayout layout) {
        if (layout == ActivationLayout.FEATURE_MAJOR) {
            BlockSparseKernels.forward(w, values, x, n, n, y);
            return;
        }
        if (n == 0) {
            return;
        }
        int bp = BatchMajorSparse.paddedBatch(n);
        float[] xt = w.packX = CpuBlockWeight.grow(w.packX, (long) w.cols * bp);
        BatchMajorSparse.packTiles(x, n, w.cols, bp, xt);
        float[] yt = w.packOut = CpuBlockWeight.grow(w.packOut, (long) w.rows * bp);
        BlockSparseKernels.forward(w, values, xt, bp, BatchMajorSparse.TILE, yt);
        BatchMajorSparse.unpackTiles(yt, n, w.rows, bp, y);
    }

    /** The input gradient into dx (skipped when null) and the weight gradient at the stored blocks. */
    static void backward(CpuBlockWeight w, float[] values, float[] dy, float[] x, int n, float[] dx, float[] dvalues,
            ActivationLayout layout) {
        if (layout == ActivationLayout.FEATURE_MAJOR) {
            if (dx != null) {
                BlockSparseKernels.inputGradient(w, values, dy, n, n, dx);
            }
            BlockWeightGradient.of(w, dy, x, n, n, dvalues);
            return;
        }
        if (n == 0) {
            java.util.Arrays.fill(dvalues, 0f);
            return;
        }
        int bp = BatchMajorSparse.paddedBatch(n);
        float[] dyt = w.packDy = CpuBlockWeight.grow(w.packDy, (long) w.rows * bp);
        BatchMajorSparse.packTiles(dy, n, w.rows, bp, dyt);
        if (dx != null) {
            float[] dxt = w.packOut = CpuBlockWeight.grow(w.packOut, (long) w.cols * bp);
            BlockSparseKernels.inputGradient(w, values, dyt, bp, BatchMajorSparse.TILE, dxt);
            BatchMajorSparse.unpackTiles(dxt, n, w.cols, bp, dx);
        }
        float[] xt = w.packX = CpuBlockWeight.grow(w.packX, (long) w.cols * bp);
        BatchMajorSparse.packTiles(x, n, w.cols, bp, xt);
        BlockWeightGradient.of(w, dyt, xt, bp, BatchMajorSparse.TILE, dvalues);
    }
}
