package org.prune4j.backend.cuda;

import org.prune4j.backend.ActivationLayout;
import org.prune4j.sparse.BlockIndex;

/**
 * The three products of a training step on a {@link CudaBlockWeight}, with the kernels of
 * {@code cuda-kernels/bsr_training.cu}: the forward product, the input gradient through the
 * block columns, and the weight gradient at the stored blocks only. The kernels take
 * feature-major activations; batch-major ones are transposed into the weight's scratch first
 * (and the results back), as the CSR path does.
 */
final class CudaBlockProducts {
    static final int XT = 0;
    static final int YT = 1;
    static final int DXT = 2;
    private static final int THREADS = 128;

    private CudaBlockProducts() {
    }

    /** y = W x (feature-major) or x W^T (batch-major); x, y already on the device. */
    static void forward(CudaDevice device, CudaBlockWeight w, DeviceBuffer values, DeviceBuffer x, DeviceBuffer y,
            int n, ActivationLayout layout) {
        BlockIndex ix = w.index;
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        DeviceBuffer xt = x, yt = y;
        if (batchMajor) {
            xt = w.scratch(XT, (long) ix.cols * n);
            yt = w.scratch(YT, (long) ix.rows * n);
            transpose(device, x, n, ix.cols, xt);
        }
        if (ix.rows > 0 && n > 0) {
            device.launch("p4j_bsr_forward_f32", ix.rows, CudaBackend.ceil(n, THREADS), THREADS, ix.rows, ix.cols, n,
                    ix.br, ix.bc, w.blockRowPtr, w.blockColIdx, values, xt, yt);
        }
        if (batchMajor) {
            transpose(device, yt, ix.rows, n, y);
        }
    }

    /**
     * The input gradient dx (skipped when null) and the weight gradient {@code dvalues} at
     * every stored value (zero at padding).
     */
    static void backward(CudaDevice device, CudaBlockWeight w, DeviceBuffer values, DeviceBuffer dy, DeviceBuffer x,
            DeviceBuffer dx, DeviceBuffer dvalues, int n, ActivationLayout layout) {
        BlockIndex ix = w.index;
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        DeviceBuffer dyt = dy, xt = x;
        if (batchMajor) {
            dyt = w.scratch(YT, (long) ix.rows * n);
            transpose(device, dy, n, ix.rows, dyt);
        }
        if (dx != null) {
            DeviceBuffer dxt = batchMajor ? w.scratch(DXT, (long) ix.cols * n) : dx;
            if (ix.cols > 0 && n > 0) {
                device.launch("p4j_bsr_input_grad_f32", ix.cols, CudaBackend.ceil(n, THREADS), THREADS, ix.rows,
                        ix.cols, n, ix.br, ix.bc, w.blockColPtr, w.colBlockRow, w.colBlock, values, dyt, dxt);
            }
            if (batchMajor) {
                transpose(device, dxt, ix.cols, n, dx);
            }
        }
        if (ix.blockCount() == 0) {
            return;
        }
        if (batchMajor) {
            xt = w.scratch(XT, (long) ix.cols * n);
            transpose(device, x, n, ix.cols, xt);
        }
        device.launch("p4j_bsr_weight_grad_f32", ix.blockCount(), 1, 256, ix.rows, ix.cols, n, ix.br, ix.bc,
                w.blockRows, w.blockColIdx, dyt, xt, dvalues);
    }

    /** dst (cols x rows) = src (rows x cols)^T. */
    private static void transpose(CudaDevice device, DeviceBuffer src, int rows, int cols, DeviceBuffer dst) {
        CudaTrainingOps.transpose(device, src, 1, rows, cols, dst);
    }
}
