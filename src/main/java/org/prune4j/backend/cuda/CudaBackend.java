package org.prune4j.backend.cuda;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.backend.Shapes;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The CUDA backend. Tensors it allocates live in GPU memory and every operation, the training
 * operations of {@link CudaTrainingOps} included, computes on them in place; host tensors are
 * accepted too, for one-off products, and copied in and out per call (counted, see
 * {@link #transfers()}). Sparse weights are uploaded
 * once per weight (and format, precision, kernel) and kept on the device ({@link DeviceWeights}).
 * Dense products run on the project's SGEMM or on cuBLAS, sparse ones on the project's CSR kernel
 * or cuSPARSE: the three registered names ({@code cuda}, {@code cublas}, {@code cusparse}) pick
 * the combination, so every vendor path can be forced and compared against the same tests.
 * Through {@link #spmm} formats other than CSR are converted to CSR once per matrix; the
 * tensor-core paths for BSR, 2:4 and compacted weights have their own entry points, and
 * {@link KernelTimer} times each named kernel. Closing is best effort: after a kernel fault it
 * still gives back every handle and logs what could not be released.
 */
public final class CudaBackend extends CudaTrainingOps {

    private final String name;
    private final Cublas cublas;
    private final CusparseSpmm cusparse;
    private final DeviceWeights weights;
    private final VendorBaselines vendors;
    private final TwoFourSpmm twoFour;
    private final Map<SparseMatrix, CsrMatrix> asCsr = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Object, int[]> rowOrders = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<CompactedMatrix, BsrMatrix> denseBlocks = Collections.synchronizedMap(new WeakHashMap<>());
    private boolean blockedEllWorks = true;

    CudaBackend(String name, CudaDevice device, Cublas cublas, CusparseSpmm cusparse) {
        super(device);
        this.name = name;
        this.cublas = cublas;
        this.cusparse = cusparse;
        // a quarter of the GPU for kept weights, at most 16 GiB
        this.weights = new DeviceWeights(Math.min(device.totalMemory() / 4, 16L << 30));
        this.vendors = new VendorBaselines(device, cublas, cusparse);
        this.twoFour = new TwoFourSpmm(device, weights);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return name + ", GPU " + device.ordinal() + " " + device.name() + ", dense "
                + (cublas != null ? cublas.describe() : "prune4j sgemm") + ", sparse "
                + (cusparse != null ? cusparse.describe() : "prune4j csr");
    }

    @Override
    public synchronized void gemm(Op opA, Op opB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] mnk = Shapes.gemm(opA, opB, a, b, c);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        device.makeCurrent();
        try (DeviceOperands ops = new DeviceOperands(device, counter)) {
            DeviceBuffer da = ops.in(a), db = ops.in(b), dc = beta == 0f ? ops.out(c) : ops.inOut(c);
            if (m == 0 || n == 0) {
                ops.finish();
                return;
            }
            if (k == 0) {
                // an empty inner dimension: C = beta C, and no library is trusted with k = 0
                if (beta == 0f) {
                    device.zero(dc, 4L * c.size());
                } else {
                    device.launch("p4j_scale", grid(c.size()), 1, BLOCK, (long) c.size(), beta, dc);
                }
            } else if (cublas != null) {
                cublas.sgemm(opA == Op.T, opB == Op.T, m, n, k, alpha, da.ptr.address(), a.cols(), db.ptr.address(),
                        b.cols(), beta, dc.ptr.address(), c.cols());
            } else {
                OwnKernels.sgemm(device, opA == Op.T, opB == Op.T, m, n, k, alpha, da, a.cols(), db, b.cols(), beta, dc,
                        c.cols()).enqueue();
            }
            ops.finish();
        }
    }

    @Override
    public synchronized void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y) {
        Shapes.spmm(w, opW, x, y);
        if (cusparse != null && w instanceof BsrMatrix bsr && blockedEllWorks) {
            BsrMatrix a = opW == Op.N ? bsr : bsr.transpose();
            if (CusparseSpmm.blockedEllFits(a)) {
                device.makeCurrent();
                CusparseSpmm.Ell ell = blockedEll(a);
                try (DeviceOperands ops = new DeviceOperands(device, counter)) {
                    if (cusparse.spmmBlockedEll(ell, ops.in(x), x.cols(), ops.out(y))) {
                        ops.finish();
                        return;
                    }
                }
                blockedEllWorks = false;
                System.getLogger(CudaBackend.class.getName()).log(System.Logger.Level.WARNING,
                        "cuSPARSE reports fp32 Blocked-ELL SpMM as not supported on this GPU; BSR runs on its CSR SpMM");
            }
        }
        CsrMatrix a = opW == Op.N ? csr(w) : csr(w).transpose();
        int n = x.cols();
        if (a.nnz() == 0) {
            // nothing stored: Y is zero, and no kernel or library is trusted to write it
            fill(y, 0f);
            return;
        }
        device.makeCurrent();
        OwnKernels.Csr dw = residentCsr(a, null);
        try (DeviceOperands ops = new DeviceOperands(device, counter)) {
            DeviceBuffer dx = ops.in(x), dy = ops.out(y);
            if (cusparse != null) {
                cusparse.spmm(dw, dx, n, dy);
            } else {
                OwnKernels.csr(device, dw, n, dx, dy).enqueue();
            }
            ops.finish();
        }
    }

    /**
     * {@code y = op(w) x} with the weight and activations rounded to fp16 or bf16 on the way to
     * the GPU and fp32 accumulation: the reduced-precision path of the project's CSR kernel.
     */
    public synchronized void spmmHalf(CsrMatrix w, Op opW, Tensor x, Tensor y, HalfFormat format) {
        Shapes.spmm(w, opW, x, y);
        CsrMatrix a = opW == Op.N ? w : w.transpose();
        device.makeCurrent();
        OwnKernels.Csr dw = residentCsr(a, format);
        try (DeviceBuffer dx = device.upload(format.encode(x.data())); DeviceBuffer dy = device.allocate(y.size())) {
            OwnKernels.csr(device, dw, x.cols(), dx, dy).enqueue();
            device.download(dy, y.data());
        }
    }

    /**
     * {@code y = op(w) x} on tensor cores for BSR weights with square 16x16 or 32x32 blocks, in
     * the given operand precision with fp32 accumulation. X and Y are zero-padded on the host so
     * every WMMA tile is whole; block rows run longest first.
     */
    public synchronized void spmmTensorCore(BsrMatrix w, Op opW, Tensor x, Tensor y, TensorCorePrecision precision) {
        Shapes.spmm(w, opW, x, y);
        BsrMatrix a = opW == Op.N ? w : w.transpose();
        device.makeCurrent();
        OwnKernels.Bsr dw = residentBsr(a, precision);
        int n = x.cols(), nPad = ceil(n, 16) * 16;
        float[] xp = HostPadding.pad(x, dw.xRows(), nPad);
        try (DeviceBuffer dx = precision == TensorCorePrecision.TF32 ? device.upload(xp)
                : device.upload(precision.half().encode(xp));
                DeviceBuffer dy = device.allocate((long) dw.yRows() * nPad)) {
            OwnKernels.bsr(device, dw, nPad, dx, dy).enqueue();
            float[] yp = new float[dw.yRows() * nPad];
            device.download(dy, yp);
            HostPadding.crop(yp, nPad, y.data(), n);
        }
    }

    /**
     * {@code y = w x} for a channel-compacted weight on tensor cores: the kept block (kept rows x
     * kept columns) times the kept rows of X, as a dense GEMM padded to 16 (one BSR-16 block row
     * per 16 kept channels, every block present), then scattered back; pruned output channels
     * are zero.
     */
    public synchronized void spmmCompactedTensorCore(CompactedMatrix w, Tensor x, Tensor y,
            TensorCorePrecision precision) {
        Shapes.spmm(w, Op.N, x, y);
        int[] rowsKept = w.keptRows(), colsKept = w.keptCols();
        int n = x.cols();
        Arrays.fill(y.data(), 0f);
        if (rowsKept.length == 0 || colsKept.length == 0) {
            return;
        }
        Tensor xk = Tensor.zeros(colsKept.length, n);
        for (int j = 0; j < colsKept.length; j++) {
            System.arraycopy(x.data(), colsKept[j] * n, xk.data(), j * n, n);
        }
        Tensor yk = Tensor.zeros(rowsKept.length, n);
        spmmTensorCore(denseBlock(w), Op.N, xk, yk, precision);
        for (int i = 0; i < rowsKept.length; i++) {
            System.arraycopy(yk.data(), i * n, y.data(), rowsKept[i] * n, n);
        }
    }

    /** The kept block of a compacted weight as BSR-16 with every block present, built once. */
    BsrMatrix denseBlock(CompactedMatrix w) {
        return denseBlocks.computeIfAbsent(w, k -> {
            Tensor block = w.block();
            return BsrMatrix.fromDense(block, Mask.all(block.rows(), block.cols()), 16, 16);
        });
    }

    /**
     * {@code y = w x} on sparse tensor cores (2:4) with the weight and activations in fp16 or
     * bf16 and fp32 accumulation, on the kernel {@link TwoFourKernel#defaultFor} picks for this
     * GPU and width. The weight is laid out and uploaded once per weight and kept; only X is
     * converted per call. The transposed product of a 2:4 weight is not 2:4 along K: use
     * {@link #spmm} for it.
     */
    public synchronized void spmmTwoFour(TwoFourMatrix w, Tensor x, Tensor y, HalfFormat format) {
        spmmTwoFour(w, x, y, format, twoFour.defaultKernel(x.cols()));
    }

    /**
     * As {@link #spmmTwoFour(TwoFourMatrix, Tensor, Tensor, HalfFormat)} on a chosen kernel;
     * throws UnsupportedOperationException, naming the alternative, where this GPU lacks the
     * instruction.
     */
    public synchronized void spmmTwoFour(TwoFourMatrix w, Tensor x, Tensor y, HalfFormat format, TwoFourKernel kernel) {
        Shapes.spmm(w, Op.N, x, y);
        twoFour.multiply(kernel, w, x, y, format);
    }

    /** Why {@code kernel} cannot run on this GPU, or empty when it can. */
    public java.util.Optional<String> whyUnsupported(TwoFourKernel kernel) {
        return java.util.Optional.ofNullable(kernel.unsupportedOn(device.computeCapability()));
    }

    /** The installed cuSPARSELt's version, or why it is not usable; needs no GPU. */
    public static String cusparseLtVersion() {
        return CusparseLt.version();
    }

    /**
     * {@code y = w x} through cuSPARSELt (bf16 in and out, fp32 compute): the vendor 2:4 baseline.
     * The weight is prune-checked, compressed and planned once per activation width and kept;
     * per call only X is converted and the product run.
     */
    public synchronized void spmmCusparseLt(TwoFourMatrix w, Tensor x, Tensor y) {
        Shapes.spmm(w, Op.N, x, y);
        device.makeCurrent();
        int n = x.cols(), nPad = ceil(n, 32) * 32;
        CusparseLt.Prepared plan = ltPlan(w, nPad);
        float[] xp = HostPadding.pad(x, plan.k, nPad);
        try (DeviceBuffer dx = device.upload(HalfFormat.BF16.encode(xp));
                DeviceBuffer dd = device.pool.allocate(2L * plan.m * nPad)) {
            plan.matmul(dx, dd);
            short[] out = new short[plan.m * nPad];
            device.download(dd, out);
            HostPadding.crop(out, nPad, y.data(), n);
        }
    }

    /** The vendor libraries' products on this backend's GPU, whatever its own dense and sparse paths are. */
    public VendorProducts vendorProducts() {
        return new VendorProducts(this);
    }

    /** The name of the kernel {@link #spmmTwoFour} launches for this weight, width and format. */
    public synchronized String twoFourKernelName(TwoFourMatrix w, int n, HalfFormat format, TwoFourKernel kernel) {
        return twoFour.prepare(kernel, w, format).kernelName(kernel.padN(n));
    }

    /**
     * Launches a kernel that writes to an address no allocation owns and waits for it: a
     * deliberate fault, for the smoke step's self-test that one family's fault stays inside its
     * own process. The CUDA context is unusable afterwards: call it only in a process that is
     * about to end. Throws the fault's {@link CudaException}.
     */
    public synchronized void faultOnPurpose() {
        device.makeCurrent();
        // device address 0: never part of an allocation
        device.prepare("p4j_poke", 1, 1, 32, null, 1f).enqueue();
        device.synchronize();
    }

    @Override
    public synchronized void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out) {
        Shapes.sddmm(a, b, pattern, out);
        if (pattern.nnz() == 0) {
            return;
        }
        device.makeCurrent();
        OwnKernels.Csr p = residentCsr(pattern, null);
        try (DeviceOperands ops = new DeviceOperands(device, counter);
                DeviceBuffer dout = device.allocate(out.length)) {
            device.launch("p4j_sddmm_f32", ceil(pattern.rows(), 4), 1, 128, pattern.rows(), a.cols(), p.ptr(), p.idx(),
                    ops.in(a), ops.in(b), dout);
            device.download(dout, out);
            counter.countToHost(4L * out.length);
        }
    }

    @Override
    public synchronized void axpy(float alpha, Tensor x, Tensor y) {
        Shapes.same(x, y, "axpy");
        elementwise("p4j_axpy", y.size(), ops -> new Object[] {(long) y.size(), alpha, ops.in(x), ops.inOut(y)});
    }

    @Override
    public synchronized void scale(float alpha, Tensor x) {
        elementwise("p4j_scale", x.size(), ops -> new Object[] {(long) x.size(), alpha, ops.inOut(x)});
    }

    @Override
    public synchronized void mul(Tensor a, Tensor b, Tensor out) {
        Shapes.same(a, b, "mul");
        Shapes.same(a, out, "mul");
        elementwise("p4j_mul", a.size(), ops -> new Object[] {(long) a.size(), ops.in(a), ops.in(b), ops.out(out)});
    }

    @Override
    public synchronized void relu(Tensor x, Tensor out) {
        Shapes.same(x, out, "relu");
        elementwise("p4j_relu", x.size(), ops -> new Object[] {(long) x.size(), ops.in(x), ops.out(out)});
    }

    @Override
    public synchronized void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        Shapes.same(x, dy, "reluBackward");
        Shapes.same(x, dx, "reluBackward");
        elementwise("p4j_relu_backward", x.size(), ops -> new Object[] {(long) x.size(), ops.in(x), ops.in(dy),
            ops.out(dx)});
    }

    @Override
    public synchronized void addRowVector(Tensor m, Tensor bias) {
        Shapes.rowVector(m, bias, "addRowVector");
        elementwise("p4j_add_row_vector", m.size(), ops -> new Object[] {m.rows(), m.cols(), ops.inOut(m),
            ops.in(bias)});
    }

    @Override
    public synchronized void sumRows(Tensor m, Tensor out) {
        Shapes.rowVector(m, out, "sumRows");
        device.makeCurrent();
        try (DeviceOperands ops = new DeviceOperands(device, counter)) {
            if (m.cols() > 0) {
                device.launch("p4j_sum_rows", ceil(m.cols(), BLOCK), 1, BLOCK, m.rows(), m.cols(), ops.in(m),
                        ops.out(out));
            }
            ops.finish();
        }
    }

    /**
     * A grid-stride kernel over n elements, its arguments built from the call's operands. Host
     * outputs are copied back whole; every kernel here writes each output element, so an output
     * that shares its host array with an input still comes out right.
     */
    private void elementwise(String kernel, long n, java.util.function.Function<DeviceOperands, Object[]> args) {
        device.makeCurrent();
        try (DeviceOperands ops = new DeviceOperands(device, counter)) {
            Object[] a = args.apply(ops);
            if (n > 0) {
                device.launch(kernel, grid(n), 1, BLOCK, a);
            }
            ops.finish();
        }
    }

    /**
     * Releases everything, best effort: each step runs even when an earlier one fails (after a
     * kernel fault they all do), failures are logged in one line and returned.
     */
    public synchronized java.util.List<String> release() {
        BestEffort r = new BestEffort("closing the " + name + " backend");
        r.run("cached weights", weights::close);
        r.addAll("vendor baselines", vendors.release());
        if (cublas != null) {
            r.run("cuBLAS", cublas::close);
        }
        if (cusparse != null) {
            r.run("cuSPARSE", cusparse::close);
        }
        r.addAll("device", device.release());
        return r.finish();
    }

    @Override
    public void close() {
        release();
    }

    CudaDevice cudaDevice() {
        return device;
    }

    DeviceWeights weights() {
        return weights;
    }

    TwoFourSpmm twoFour() {
        return twoFour;
    }

    VendorBaselines vendors() {
        return vendors;
    }

    /** Whether dense products run on cuBLAS (the vendor baseline) rather than the project's SGEMM. */
    public boolean denseIsVendor() {
        return cublas != null;
    }

    /** Whether sparse products run on cuSPARSE rather than the project's CSR kernel. */
    public boolean sparseIsVendor() {
        return cusparse != null;
    }

    /** The GPU's compute capability, major * 10 + minor (90 for Hopper). */
    public int computeCapability() {
        return device.computeCapability();
    }

    /**
     * Forgets the device copies of {@code w}. Weights are immutable, so this is only for a
     * caller that changed a weight's arrays in place despite their "read-only" contract.
     */
    public synchronized void forget(SparseMatrix w) {
        weights.forget(w);
    }

    /** The weight compressed and planned by cuSPARSELt for activations of width nPad (a multiple of 32). */
    CusparseLt.Prepared ltPlan(TwoFourMatrix w, int nPad) {
        CusparseLt lt = vendors.cusparseLt();
        int m = ceil(w.rows(), 32) * 32, k = ceil(w.cols(), 32) * 32;
        return weights.get(w, java.util.List.of("cuSPARSELt", nPad), () -> {
            float[] a = new float[m * k];
            Tensor dense = w.toDense();
            for (int r = 0; r < w.rows(); r++) {
                System.arraycopy(dense.data(), r * w.cols(), a, r * k, w.cols());
            }
            // the plan takes the dense copy and frees it once compressed
            return lt.new Prepared(device.upload(HalfFormat.BF16.encode(a)), m, k, nPad);
        });
    }

    OwnKernels.Csr residentCsr(CsrMatrix a, HalfFormat half) {
        return weights.get(a, half == null ? "csr-f32" : "csr-" + half,
                () -> OwnKernels.upload(device, a, rowOrder(a), half));
    }

    OwnKernels.Bsr residentBsr(BsrMatrix a, TensorCorePrecision p) {
        return weights.get(a, "bsr-" + p, () -> OwnKernels.upload(device, a, blockRowOrder(a), p));
    }

    CusparseSpmm.Ell blockedEll(BsrMatrix a) {
        CusparseSpmm sp = vendors.cusparse();
        return weights.get(a, "blocked-ell", () -> sp.upload(a));
    }

    static int copies(long perCopy, long rotateBytes) {
        return (int) Math.max(1, Math.min(16, (rotateBytes + perCopy - 1) / Math.max(1, perCopy)));
    }

    /** Uploads each index array; if one fails, frees those already uploaded and rethrows. */
    static DeviceBuffer[] uploadAll(CudaDevice device, int[]... arrays) {
        DeviceBuffer[] b = new DeviceBuffer[arrays.length];
        try {
            for (int i = 0; i < arrays.length; i++) {
                b[i] = device.upload(arrays[i]);
            }
        } catch (RuntimeException e) {
            closeAll(b);
            throw e;
        }
        return b;
    }

    static void closeAll(DeviceBuffer[] bufs) {
        for (DeviceBuffer b : bufs) {
            if (b != null) {
                b.close();
            }
        }
    }

    CsrMatrix csr(SparseMatrix w) {
        if (w instanceof CsrMatrix c) {
            return c;
        }
        return asCsr.computeIfAbsent(w, m -> CsrMatrix.fromDense(m.toDense()));
    }

    /** Block rows with the most blocks first; computed once per matrix. */
    int[] blockRowOrder(BsrMatrix a) {
        return rowOrders.computeIfAbsent(a, m -> longestFirst(a.blockRowPtr(), a.gridRows()));
    }

    /** Rows longest first, so warps that start together finish together; computed once per matrix. */
    int[] rowOrder(CsrMatrix a) {
        return rowOrders.computeIfAbsent(a, m -> longestFirst(a.rowPtr(), a.rows()));
    }

    static int[] longestFirst(int[] ptr, int rows) {
        long[] keys = new long[rows];
        for (int r = 0; r < rows; r++) {
            keys[r] = ((long) -(ptr[r + 1] - ptr[r]) << 32) | r;
        }
        Arrays.sort(keys);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
