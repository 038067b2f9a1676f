package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.prune4j.Reference;
import org.prune4j.tensor.Tensor;

/**
 * What every sparse-training kernel test checks the same way, whatever the storage (CSR or
 * blocks): the forward product and the input gradient against double-precision dense products
 * of the masked weight, and a weight gradient that does not depend on computing dx.
 */
final class SparseProductChecks {
    private SparseProductChecks() {
    }

    /** {@code t} as examples x features, whatever its layout. */
    static Tensor batchMajor(Tensor t, ActivationLayout layout) {
        return layout == ActivationLayout.BATCH_MAJOR ? t : t.transpose();
    }

    /**
     * Runs the forward and backward products of {@code sw} (holding {@code values}, the masked
     * dense {@code w}) on x and dy in {@code layout}, asserts y and dx, and returns the weight
     * gradient at the stored values.
     */
    static Tensor forwardAndInputGradient(Backend be, SparseWeight sw, Tensor values, Tensor w, Tensor x, Tensor dy,
            ActivationLayout layout, String what) {
        int rows = w.rows(), cols = w.cols();
        boolean bm = layout == ActivationLayout.BATCH_MAJOR;
        int batch = bm ? x.rows() : x.cols();
        Tensor xb = batchMajor(x, layout), dyb = batchMajor(dy, layout);

        Tensor y = bm ? Tensor.filled(Float.NaN, batch, rows) : Tensor.filled(Float.NaN, rows, batch);
        be.sparseForward(sw, values, x, y, layout);
        double[] abs = new double[batch * rows];
        double[] want = Reference.gemm(false, true, 1.0, xb, w, 0.0, null, batch, rows, cols, abs);
        Reference.assertClose(batchMajor(y, layout).data(), want, abs, cols, "forward " + what);

        Tensor dx = bm ? Tensor.filled(Float.NaN, batch, cols) : Tensor.filled(Float.NaN, cols, batch);
        Tensor dv = Tensor.filled(Float.NaN, sw.nnz());
        be.sparseBackward(sw, values, dy, x, dx, dv, layout);
        double[] absDx = new double[batch * cols];
        double[] wantDx = Reference.gemm(false, false, 1.0, dyb, w, 0.0, null, batch, cols, rows, absDx);
        Reference.assertClose(batchMajor(dx, layout).data(), wantDx, absDx, rows, "input gradient " + what);

        Tensor dv2 = Tensor.filled(Float.NaN, sw.nnz());
        be.sparseBackward(sw, values, dy, x, null, dv2, layout);
        assertArrayEquals(dv.data(), dv2.data(), "the weight gradient does not depend on computing dx: " + what);
        return dv;
    }
}
