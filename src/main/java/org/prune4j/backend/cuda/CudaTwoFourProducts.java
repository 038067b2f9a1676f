package org.prune4j.backend.cuda;

import org.prune4j.backend.ActivationLayout;

/**
 * The forward product of a training step on a {@link CudaTwoFourWeight}, on sparse tensor cores:
 * the current fp32 values are gathered into the kernel's packed bf16 layout, the activations
 * (transposed first when batch-major) rounded to bf16 in its padded K x N layout, the product
 * run by the 2:4 kernel the batch width selects, and its padded fp32 output cropped (and
 * transposed back) to the layer's layout.
 */
final class CudaTwoFourProducts {
    private CudaTwoFourProducts() {
    }

    /** y = W x (feature-major) or x W^T (batch-major); values, x and y already on the device. */
    static void forward(CudaDevice device, CudaTwoFourWeight w, DeviceBuffer values, DeviceBuffer x, DeviceBuffer y,
            int n, ActivationLayout layout) {
        int rows = w.rows(), cols = w.cols();
        if (n == 0 || rows == 0) {
            return;
        }
        TwoFourKernel kernel = TwoFourKernel.defaultFor(device.computeCapability(), n);
        CudaTwoFourWeight.Packed p = w.packed(kernel);
        int nPad = kernel.padN(n), kPad = p.kPad(), rowsPad = p.rowsPad();
        long slots = p.slots();
        DeviceBuffer packed = w.scratch(kernel, CudaTwoFourWeight.PACKED, (slots + 1) / 2);
        DeviceBuffer xh = w.scratch(kernel, CudaTwoFourWeight.X_HALF, ((long) kPad * nPad + 1) / 2);
        DeviceBuffer yp = w.scratch(kernel, CudaTwoFourWeight.Y_PAD, (long) rowsPad * nPad);
        // The conversions read and write along rows, so batch-major activations go through the
        // tested tile transpose first (and the output back), as the CSR path does.
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        DeviceBuffer xf = x, yf = y;
        if (batchMajor) {
            xf = w.scratch(kernel, CudaTwoFourWeight.X_T, (long) cols * n);
            yf = w.scratch(kernel, CudaTwoFourWeight.Y_T, (long) rows * n);
            CudaTrainingOps.transpose(device, x, 1, n, cols, xf);
        }
        int block = CudaTrainingOps.BLOCK;
        device.launch("p4j_two_four_pack", CudaTrainingOps.grid(slots), 1, block, slots, p.source(), values, 1, packed);
        device.launch("p4j_two_four_activations", CudaTrainingOps.grid((long) kPad * nPad), 1, block, cols, n, kPad,
                nPad, 1, xf, xh);
        TwoFourSpmm.launch(device, kernel, HalfFormat.BF16, rowsPad, kPad, packed, p.meta(), xh, yp, nPad).enqueue();
        device.launch("p4j_two_four_crop", CudaTrainingOps.grid((long) rows * n), 1, block, rows, n, nPad, yp, yf);
        if (batchMajor) {
            CudaTrainingOps.transpose(device, yf, 1, rows, n, y);
        }
    }
}
