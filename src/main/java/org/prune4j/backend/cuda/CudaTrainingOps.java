package org.prune4j.backend.cuda;

import java.util.EnumSet;
import jcuda.driver.JCudaDriver;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Capabilities;
import org.prune4j.backend.Feature;
import org.prune4j.backend.MaskHandle;
import org.prune4j.backend.Op;
import org.prune4j.backend.SparseWeight;
import org.prune4j.backend.TrainingShapes;
import org.prune4j.backend.TransferCounter;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Device;
import org.prune4j.tensor.Tensor;

/**
 * What makes the CUDA backend a place to train: tensors in GPU memory (allocation, counted
 * copies, fill) and every training operation as a kernel of {@code cuda-kernels/training.cu}
 * or the project's CSR SpMM and SDDMM. Operands that live on this GPU are used in place; host
 * operands are copied in and out through {@link DeviceOperands}, counted, for one-off calls.
 * Sparse training products transpose their batch-major activations on the device (cheap at GPU
 * bandwidth) into the weight's scratch and run the CSR kernels, which read X feature-major.
 */
abstract class CudaTrainingOps implements Backend {
    /** Threads per block of the grid-stride elementwise kernels. */
    static final int BLOCK = 256;
    final CudaDevice device;
    final TransferCounter counter = new TransferCounter();
    private final Device where;

    CudaTrainingOps(CudaDevice device) {
        this.device = device;
        this.where = new Device("cuda", device.ordinal());
    }

    @Override
    public Capabilities capabilities() {
        // Distillation's loss, k-winners' selection and the sparsity regularisers' weight forms run
        // on the CPU through the router: a batch of logits or activations, or a weight's worth of
        // tensors, each way.
        return new Capabilities(EnumSet.complementOf(EnumSet.of(Feature.DISTILLATION, Feature.K_WINNERS,
                Feature.SPARSITY_REGULARISERS)), EnumSet.allOf(Capabilities.Format.class),
                EnumSet.allOf(Capabilities.Precision.class));
    }

    @Override
    public Device device() {
        return where;
    }

    @Override
    public synchronized Tensor allocate(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        device.makeCurrent();
        CudaStorage s = new CudaStorage(device, Math.toIntExact(n), counter);
        device.zero(s.buffer, 4L * n);
        return Tensor.on(s, shape);
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) {
            throw new IllegalArgumentException("copy: " + src.shapeString() + " into " + dst.shapeString()
                    + " needs equal sizes");
        }
        CudaStorage s = DeviceOperands.resident(src, device), d = DeviceOperands.resident(dst, device);
        if (s != null && d != null) {
            device.makeCurrent();
            if (src.size() > 0) {
                Cuda.check(JCudaDriver.cuMemcpyDtoDAsync(d.buffer.ptr, s.buffer.ptr, 4L * src.size(), device.stream()),
                        "cuMemcpyDtoDAsync");
            }
        } else if (s == null && d == null) {
            System.arraycopy(src.data(), 0, dst.data(), 0, src.size());
        } else if (s == null) {
            dst.copyFromHost(src.data());
        } else {
            src.storage().read(0, dst.data(), 0, dst.size());
        }
    }

    @Override
    public TransferCounter.Snapshot transfers() {
        return counter.snapshot();
    }

    @Override
    public synchronized void synchronize() {
        device.makeCurrent();
        device.synchronize();
    }

    @Override
    public synchronized void fill(Tensor t, float value) {
        if (t.isHost()) {
            java.util.Arrays.fill(t.data(), value);
            return;
        }
        device.makeCurrent();
        ew("p4j_fill", t.size(), (long) t.size(), value, DeviceOperands.resident(t, device).buffer);
    }

    /** Blocks of {@link #BLOCK} threads for a grid-stride kernel over n elements (at most 8192; the loop covers the rest). */
    static int grid(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, 8192));
    }

    /** A grid-stride kernel over n elements. */
    private void ew(String kernel, long n, Object... args) {
        if (n > 0) {
            device.launch(kernel, grid(n), 1, BLOCK, args);
        }
    }

    private DeviceOperands operands() {
        device.makeCurrent();
        return new DeviceOperands(device, counter);
    }

    // ---- masks and sparse weights ---------------------------------------------------------

    @Override
    public synchronized MaskHandle prepareMask(Mask mask) {
        device.makeCurrent();
        return new CudaMask(device, mask, name());
    }

    @Override
    public synchronized void applyMask(MaskHandle mask, Tensor t) {
        CudaMask m = CudaMask.of(mask, t.size(), "applyMask");
        try (DeviceOperands ops = operands()) {
            ew("p4j_apply_mask", t.size(), (long) t.size(), m.bits, ops.inOut(t));
            ops.finish();
        }
    }

    /**
     * An exact 2:4 pattern runs its forward product on sparse tensor cores where the GPU has them
     * ({@link CudaTwoFourWeight}); every other pattern runs on the CSR kernels.
     */
    @Override
    public synchronized SparseWeight prepareSparse(CsrMatrix pattern) {
        device.makeCurrent();
        if (CudaTwoFourWeight.runs(device, pattern)) {
            return new CudaTwoFourWeight(device, pattern, name());
        }
        return new CudaSparseWeight(device, pattern, name());
    }

    /**
     * A pattern of whole blocks (both sides 4 to 32) runs on the block kernels of
     * {@code bsr_training.cu}; smaller blocks run as CSR, as on the CPU.
     */
    @Override
    public synchronized SparseWeight prepareSparse(CsrMatrix pattern, BlockShape blocks) {
        if (!CudaBlockWeight.runs(blocks)) {
            return prepareSparse(pattern);
        }
        device.makeCurrent();
        return new CudaBlockWeight(device, pattern, blocks, name());
    }

    @Override
    public synchronized void sparseForward(SparseWeight w, Tensor values, Tensor x, Tensor y, ActivationLayout layout) {
        int n = TrainingShapes.sparseForward(w, values, x, y, layout);
        if (w instanceof CudaBlockWeight b) {
            try (DeviceOperands ops = operands()) {
                CudaBlockProducts.forward(device, b, ops.in(values), ops.in(x), ops.out(y), n, layout);
                ops.finish();
            }
            return;
        }
        if (w instanceof CudaTwoFourWeight t) {
            try (DeviceOperands ops = operands()) {
                CudaTwoFourProducts.forward(device, t, ops.in(values), ops.in(x), ops.out(y), n, layout);
                ops.finish();
            }
            return;
        }
        CudaSparseWeight c = CudaSparseWeight.of(w, "sparseForward");
        try (DeviceOperands ops = operands()) {
            if (layout == ActivationLayout.FEATURE_MAJOR) {
                csr(c.rows, n, c.rowPtr, c.colIdx, ops.in(values), c.rowOrder, ops.in(x), ops.out(y), c.nnz);
            } else {
                DeviceBuffer xt = c.scratch(CudaSparseWeight.XT, (long) c.cols * n);
                DeviceBuffer yt = c.scratch(CudaSparseWeight.YT, (long) c.rows * n);
                transpose(ops.in(x), 1, n, c.cols, xt);
                csr(c.rows, n, c.rowPtr, c.colIdx, ops.in(values), c.rowOrder, xt, yt, c.nnz);
                transpose(yt, 1, c.rows, n, ops.out(y));
            }
            ops.finish();
        }
    }

    @Override
    public synchronized void sparseBackward(SparseWeight w, Tensor values, Tensor dy, Tensor x, Tensor dx,
            Tensor dvalues, ActivationLayout layout) {
        int n = TrainingShapes.sparseBackward(w, values, dy, x, dx, dvalues, layout);
        if (w instanceof CudaBlockWeight b) {
            try (DeviceOperands ops = operands()) {
                CudaBlockProducts.backward(device, b, ops.in(values), ops.in(dy), ops.in(x),
                        dx == null ? null : ops.out(dx), ops.out(dvalues), n, layout);
                ops.finish();
            }
            return;
        }
        if (w instanceof CudaTwoFourWeight t) {
            twoFourBackward(t, values, dy, x, dx, dvalues, layout);
            return;
        }
        CudaSparseWeight c = CudaSparseWeight.of(w, "sparseBackward");
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        try (DeviceOperands ops = operands()) {
            // both products want dy and x feature-major (outputs or features x examples)
            DeviceBuffer dyt = ops.in(dy), xt = ops.in(x);
            if (batchMajor) {
                dyt = c.scratch(CudaSparseWeight.YT, (long) c.rows * n);
                transpose(ops.in(dy), 1, n, c.rows, dyt);
            }
            if (dx != null) {
                DeviceBuffer cv = c.scratch(CudaSparseWeight.COLUMN_VALUES, c.nnz);
                ew("p4j_permute", c.nnz, c.nnz, c.perm, ops.in(values), cv);
                DeviceBuffer dxt = batchMajor ? c.scratch(CudaSparseWeight.DXT, (long) c.cols * n) : ops.out(dx);
                csr(c.cols, n, c.colPtr, c.rowIdx, cv, c.colOrder, dyt, dxt, c.nnz);
                if (batchMajor) {
                    transpose(dxt, 1, c.cols, n, ops.out(dx));
                }
            }
            if (batchMajor) {
                xt = c.scratch(CudaSparseWeight.XT, (long) c.cols * n);
                transpose(ops.in(x), 1, n, c.cols, xt);
            }
            if (c.nnz > 0) {
                device.launch("p4j_sddmm_f32", CudaBackend.ceil(c.rows, 4), 1, 128, c.rows, n, c.rowPtr, c.colIdx,
                        dyt, xt, ops.out(dvalues));
            }
            ops.finish();
        }
    }

    /**
     * The gradients of a 2:4 weight as dense fp32 GEMMs ({@link CudaTwoFourWeight} says why): the
     * values scattered into the dense weight for dx, the full weight gradient then gathered at
     * the kept entries.
     */
    private void twoFourBackward(CudaTwoFourWeight t, Tensor values, Tensor dy, Tensor x, Tensor dx, Tensor dvalues,
            ActivationLayout layout) {
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        if (dx != null) {
            Tensor dense = t.denseWeight(this);
            scatterValues(t, values, dense);
            // batch-major dx (n x cols) = dy W; feature-major dx (cols x n) = W^T dy
            if (batchMajor) {
                gemm(Op.N, Op.N, 1f, dy, dense, 0f, dx);
            } else {
                gemm(Op.T, Op.N, 1f, dense, dy, 0f, dx);
            }
        }
        Tensor grad = t.denseGrad(this);
        // batch-major dW = dy^T x; feature-major dW = dy x^T
        if (batchMajor) {
            gemm(Op.T, Op.N, 1f, dy, x, 0f, grad);
        } else {
            gemm(Op.N, Op.T, 1f, dy, x, 0f, grad);
        }
        gatherValues(t, grad, dvalues);
    }

    /** y (rows x n) = W x (feature-major x), with the project's CSR kernel; zero when nothing is stored. */
    private void csr(int rows, int n, DeviceBuffer ptr, DeviceBuffer idx, DeviceBuffer val, DeviceBuffer order,
            DeviceBuffer x, DeviceBuffer y, int nnz) {
        if (nnz == 0 || rows == 0) {
            device.zero(y, 4L * rows * n);
            return;
        }
        if (n <= 32) {
            device.launch("p4j_csr_spmm_f32_narrow", CudaBackend.ceil(rows, 16), CudaBackend.ceil(n, 32), 128, rows, n,
                    ptr, idx, val, order, x, y);
        } else {
            device.launch("p4j_csr_spmm_f32", CudaBackend.ceil(rows, 4), CudaBackend.ceil(n, 128), 128, rows, n, ptr,
                    idx, val, order, x, y);
        }
    }

    private void transpose(DeviceBuffer src, int batches, int rows, int cols, DeviceBuffer dst) {
        transpose(device, src, batches, rows, cols, dst);
    }

    /** dst[b] = src[b]^T for {@code batches} row-major rows x cols matrices. */
    static void transpose(CudaDevice device, DeviceBuffer src, int batches, int rows, int cols, DeviceBuffer dst) {
        int tiles = CudaBackend.ceil(rows, 32) * CudaBackend.ceil(cols, 32);
        if (tiles > 0 && batches > 0) {
            device.launch("p4j_transpose_batched", tiles, batches, 256, rows, cols, src, dst);
        }
    }

    @Override
    public synchronized void gatherValues(SparseWeight w, Tensor dense, Tensor values) {
        TrainingShapes.gatherScatter(w, dense, values, "gatherValues");
        DeviceBuffer pos = positions(w, "gatherValues");
        try (DeviceOperands ops = operands()) {
            ew("p4j_gather_values", w.nnz(), w.nnz(), pos, ops.in(dense), ops.out(values));
            ops.finish();
        }
    }

    @Override
    public synchronized void scatterValues(SparseWeight w, Tensor values, Tensor dense) {
        TrainingShapes.gatherScatter(w, dense, values, "scatterValues");
        DeviceBuffer pos = positions(w, "scatterValues");
        try (DeviceOperands ops = operands()) {
            DeviceBuffer d = ops.out(dense);
            device.zero(d, 4L * dense.size());
            ew("p4j_scatter_values", w.nnz(), w.nnz(), pos, ops.in(values), d);
            ops.finish();
        }
    }

    /** Each stored value's dense position (-1 at block padding), from either kind of prepared weight. */
    private static DeviceBuffer positions(SparseWeight w, String op) {
        return w instanceof CudaBlockWeight b ? b.pos : CudaSparseWeight.of(w, op).pos;
    }

    // ---- convolution and pooling ----------------------------------------------------------

    @Override
    public synchronized void im2col(Tensor x, int k, int pad, int stride, Tensor cols) {
        int[] d = TrainingShapes.conv(x, k, pad, stride, "im2col");
        TrainingShapes.cols(d, k, cols, "im2col");
        try (DeviceOperands ops = operands()) {
            ew("p4j_im2col", cols.size(), d[0], d[1], d[2], d[3], k, pad, stride, ops.in(x), ops.out(cols));
            ops.finish();
        }
    }

    @Override
    public synchronized void col2im(Tensor cols, int k, int pad, int stride, Tensor dx) {
        int[] d = TrainingShapes.conv(dx, k, pad, stride, "col2im");
        TrainingShapes.cols(d, k, cols, "col2im");
        try (DeviceOperands ops = operands()) {
            ew("p4j_col2im", dx.size(), d[0], d[1], d[2], d[3], k, pad, stride, ops.in(cols), ops.out(dx));
            ops.finish();
        }
    }

    @Override
    public synchronized void transposeBlocks(Tensor src, int rows, int cols, int inner, Tensor dst) {
        TrainingShapes.transposeBlocks(src, rows, cols, inner, dst);
        try (DeviceOperands ops = operands()) {
            ew("p4j_transpose_blocks", src.size(), rows, cols, (long) inner, ops.in(src), ops.out(dst));
            ops.finish();
        }
    }

    @Override
    public synchronized void addChannelBias(Tensor t, int channels, int inner, Tensor bias) {
        TrainingShapes.channels(t, channels, inner, bias, "addChannelBias");
        try (DeviceOperands ops = operands()) {
            ew("p4j_add_channel_bias", t.size(), (long) t.size(), channels, (long) Math.max(inner, 1), ops.inOut(t),
                    ops.in(bias));
            ops.finish();
        }
    }

    @Override
    public synchronized void sumChannels(Tensor t, int channels, int inner, Tensor out) {
        TrainingShapes.channels(t, channels, inner, out, "sumChannels");
        long outer = t.size() / Math.max(1L, (long) channels * inner);
        try (DeviceOperands ops = operands()) {
            device.launch("p4j_sum_channels", channels, 1, 256, outer, channels, (long) inner, ops.in(t), ops.out(out));
            ops.finish();
        }
    }

    @Override
    public synchronized void maxPool(Tensor x, int size, Tensor y) {
        int[] p = TrainingShapes.pool(x, size, y, "maxPool");
        try (DeviceOperands ops = operands()) {
            ew("p4j_max_pool", y.size(), (long) p[0], p[1], p[2], size, ops.in(x), ops.out(y));
            ops.finish();
        }
    }

    @Override
    public synchronized void maxPoolBackward(Tensor x, Tensor dy, int size, Tensor dx) {
        int[] p = TrainingShapes.pool(x, size, dy, "maxPoolBackward");
        TrainingShapes.same(x, dx, "maxPoolBackward");
        try (DeviceOperands ops = operands()) {
            DeviceBuffer d = ops.out(dx);
            device.zero(d, 4L * dx.size());
            ew("p4j_max_pool_backward", dy.size(), (long) p[0], p[1], p[2], size, ops.in(x), ops.in(dy), d);
            ops.finish();
        }
    }

    // ---- normalisation, dropout, loss ------------------------------------------------------

    @Override
    public synchronized void batchNormForward(Tensor x, int channels, int spatial, boolean training, float momentum,
            float eps, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Tensor xhat, Tensor invStd,
            Tensor y) {
        TrainingShapes.batchNorm(x, channels, spatial, gamma, "batchNormForward");
        TrainingShapes.same(x, y, "batchNormForward");
        TrainingShapes.same(x, xhat, "batchNormForward");
        TrainingShapes.batchNorm(x, channels, spatial, invStd, "batchNormForward");
        int n = x.size() / (channels * spatial);
        try (DeviceOperands ops = operands()) {
            device.launch("p4j_batch_norm_forward", channels, 1, 256, n, channels, spatial, training ? 1 : 0, momentum,
                    eps, ops.in(x), ops.in(gamma), ops.in(beta), ops.inOut(runningMean), ops.inOut(runningVar),
                    ops.out(xhat), ops.out(invStd), ops.out(y));
            ops.finish();
        }
    }

    @Override
    public synchronized void batchNormBackward(Tensor dy, Tensor xhat, Tensor invStd, Tensor gamma, int channels,
            int spatial, boolean training, Tensor dgamma, Tensor dbeta, Tensor dx) {
        TrainingShapes.batchNorm(dy, channels, spatial, gamma, "batchNormBackward");
        TrainingShapes.same(dy, dx, "batchNormBackward");
        TrainingShapes.same(dy, xhat, "batchNormBackward");
        int n = dy.size() / (channels * spatial);
        try (DeviceOperands ops = operands()) {
            device.launch("p4j_batch_norm_backward", channels, 1, 256, n, channels, spatial, training ? 1 : 0,
                    ops.in(dy), ops.in(xhat), ops.in(invStd), ops.in(gamma), ops.out(dgamma), ops.out(dbeta),
                    ops.out(dx));
            ops.finish();
        }
    }

    @Override
    public synchronized void dropout(Tensor x, float p, long seed, Tensor y) {
        TrainingShapes.same(x, y, "dropout");
        dropoutKernel(x, p, seed, y);
    }

    @Override
    public synchronized void dropoutBackward(Tensor dy, float p, long seed, Tensor dx) {
        TrainingShapes.same(dy, dx, "dropoutBackward");
        dropoutKernel(dy, p, seed, dx);
    }

    private void dropoutKernel(Tensor in, float p, long seed, Tensor out) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        try (DeviceOperands ops = operands()) {
            ew("p4j_dropout", in.size(), (long) in.size(), p, seed, ops.in(in), ops.out(out));
            ops.finish();
        }
    }

    @Override
    public synchronized void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor grad, Tensor stats) {
        int[] nk = TrainingShapes.loss(logits, labels, grad, stats);
        try (DeviceOperands ops = operands()) {
            if (nk[0] > 0) {
                device.launch("p4j_softmax_cross_entropy", CudaBackend.ceil(nk[0], 256), 1, 256, nk[0], nk[1],
                        ops.in(logits), ops.in(labels), ops.out(grad), ops.inOut(stats));
            }
            ops.finish();
        }
    }

    // ---- optimisers and reductions -----------------------------------------------------

    @Override
    public synchronized void sgdUpdate(Tensor w, Tensor g, Tensor velocity, MaskHandle mask, float lr, float momentum,
            boolean nesterov, float weightDecay) {
        TrainingShapes.optimizer(w, g, velocity, mask, "sgdUpdate");
        if (momentum != 0 && velocity == null) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum + " needs a velocity tensor");
        }
        CudaMask m = CudaMask.of(mask, w.size(), "sgdUpdate");
        try (DeviceOperands ops = operands()) {
            ew("p4j_sgd", w.size(), (long) w.size(), m == null ? null : m.bits, lr, momentum, nesterov ? 1 : 0,
                    weightDecay, ops.inOut(w), ops.in(g), momentum == 0 ? null : ops.inOut(velocity));
            ops.finish();
        }
    }

    @Override
    public synchronized void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, MaskHandle mask, float stepSize,
            float beta1, float beta2, float eps, float sqrtC2, float weightDecay) {
        TrainingShapes.optimizer(w, g, m, mask, "adamUpdate");
        TrainingShapes.same(w, v, "adamUpdate");
        CudaMask k = CudaMask.of(mask, w.size(), "adamUpdate");
        try (DeviceOperands ops = operands()) {
            ew("p4j_adam", w.size(), (long) w.size(), k == null ? null : k.bits, stepSize, beta1, beta2, eps, sqrtC2,
                    weightDecay, ops.inOut(w), ops.in(g), ops.inOut(m), ops.inOut(v));
            ops.finish();
        }
    }

    @Override
    public synchronized void sumOfSquares(Tensor x, Tensor acc) {
        reduce("p4j_sum_of_squares", x, acc);
    }

    @Override
    public synchronized void countNonFinite(Tensor x, Tensor acc) {
        reduce("p4j_count_non_finite", x, acc);
    }

    private void reduce(String kernel, Tensor x, Tensor acc) {
        try (DeviceOperands ops = operands()) {
            if (x.size() > 0) {
                device.launch(kernel, (int) Math.min(CudaBackend.ceil(x.size(), BLOCK), 1024), 1, BLOCK,
                        (long) x.size(), ops.in(x), ops.inOut(acc));
            }
            ops.finish();
        }
    }
}
