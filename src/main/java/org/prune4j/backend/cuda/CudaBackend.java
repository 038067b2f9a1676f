package org.prune4j.backend.cuda;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.backend.Shapes;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The CUDA backend on host tensors: each call copies its operands to the GPU, runs one kernel
 * and copies the result back, through a caching memory pool. Dense products run on the
 * project's SGEMM or on cuBLAS, sparse ones on the project's CSR kernel or cuSPARSE: the three
 * registered names ({@code cuda}, {@code cublas}, {@code cusparse}) pick the combination, so
 * every vendor path can be forced and compared against the same tests. Through {@link #spmm}
 * formats other than CSR are converted to CSR once per matrix; the tensor-core paths for BSR,
 * 2:4 and compacted weights have their own entry points.
 */
public final class CudaBackend implements Backend {
    private static final int EW_BLOCK = 256;

    private final String name;
    private final CudaDevice device;
    private final Cublas cublas;
    private final CusparseSpmm cusparse;
    private final Map<SparseMatrix, CsrMatrix> asCsr = Collections.synchronizedMap(new WeakHashMap<>());
    private boolean blockedEllWorks = true;
    private final Map<CsrMatrix, int[]> rowOrders = Collections.synchronizedMap(new WeakHashMap<>());
    private final TwoFourSpmm twoFour;

    CudaBackend(String name, CudaDevice device, Cublas cublas, CusparseSpmm cusparse) {
        this.name = name;
        this.device = device;
        this.cublas = cublas;
        this.cusparse = cusparse;
        this.twoFour = new TwoFourSpmm(device);
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
        try (DeviceBuffer da = device.upload(a.data()); DeviceBuffer db = device.upload(b.data());
                DeviceBuffer dc = beta == 0f ? device.allocate(c.size()) : device.upload(c.data())) {
            if (cublas != null) {
                cublas.sgemm(opA == Op.T, opB == Op.T, m, n, k, alpha, da.ptr.address(), a.cols(), db.ptr.address(),
                        b.cols(), beta, dc.ptr.address(), c.cols());
            } else {
                device.launch("p4j_sgemm", ceil(n, 64), ceil(m, 64), 256, m, n, k, alpha, da, a.cols(),
                        opA == Op.T ? 1 : 0, db, b.cols(), opB == Op.T ? 1 : 0, beta, dc, c.cols());
            }
            device.download(dc, c.data());
        }
    }

    @Override
    public synchronized void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y) {
        Shapes.spmm(w, opW, x, y);
        if (cusparse != null && w instanceof org.prune4j.sparse.BsrMatrix bsr && blockedEllWorks) {
            org.prune4j.sparse.BsrMatrix a = opW == Op.N ? bsr : bsr.transpose();
            if (CusparseSpmm.blockedEllFits(a)) {
                device.makeCurrent();
                try (DeviceBuffer dx = device.upload(x.data()); DeviceBuffer dy = device.allocate(y.size())) {
                    if (cusparse.spmmBlockedEll(a, dx, x.cols(), dy)) {
                        device.download(dy, y.data());
                        return;
                    }
                }
                blockedEllWorks = false;
                System.getLogger(CudaBackend.class.getName()).log(System.Logger.Level.WARNING,
                        "cuSPARSE reports fp32 Blocked-ELL SpMM as not supported on this GPU; BSR runs on its CSR SpMM");
            }
        }
        CsrMatrix csr = csr(w);
        CsrMatrix a = opW == Op.N ? csr : csr.transpose();
        int n = x.cols();
        device.makeCurrent();
        try (DeviceBuffer ptr = device.upload(a.rowPtr()); DeviceBuffer idx = device.upload(a.colIdx());
                DeviceBuffer val = device.upload(a.values()); DeviceBuffer dx = device.upload(x.data());
                DeviceBuffer dy = device.allocate(y.size())) {
            if (cusparse != null) {
                cusparse.spmm(a.rows(), a.cols(), a.nnz(), ptr, idx, val, dx, n, dy);
            } else {
                try (DeviceBuffer order = device.upload(rowOrder(a))) {
                    launchCsr(a.rows(), n, ptr, idx, val, order, dx, dy);
                    device.download(dy, y.data());
                    return;
                }
            }
            device.download(dy, y.data());
        }
    }

    /**
     * The fp32 CSR kernel: whole warps per row for wide Y, 8-lane groups (four rows per warp)
     * when Y has at most 32 columns, so inference-sized products keep the lanes busy.
     */
    private void launchCsr(int rows, int n, DeviceBuffer ptr, DeviceBuffer idx, DeviceBuffer val, DeviceBuffer order,
            DeviceBuffer dx, DeviceBuffer dy) {
        if (n <= 32) {
            device.launch("p4j_csr_spmm_f32_narrow", ceil(rows, 16), ceil(n, 32), 128, rows, n, ptr, idx, val, order, dx,
                    dy);
        } else {
            device.launch("p4j_csr_spmm_f32", ceil(rows, 4), ceil(n, 128), 128, rows, n, ptr, idx, val, order, dx, dy);
        }
    }

    /**
     * {@code y = op(w) x} with the weight and activations rounded to fp16 or bf16 on the way to
     * the GPU and fp32 accumulation: the reduced-precision path of the project's CSR kernel.
     */
    public synchronized void spmmHalf(CsrMatrix w, Op opW, Tensor x, Tensor y, HalfFormat format) {
        Shapes.spmm(w, opW, x, y);
        CsrMatrix a = opW == Op.N ? w : w.transpose();
        int n = x.cols();
        device.makeCurrent();
        try (DeviceBuffer ptr = device.upload(a.rowPtr()); DeviceBuffer idx = device.upload(a.colIdx());
                DeviceBuffer val = device.upload(format.encode(a.values()));
                DeviceBuffer dx = device.upload(format.encode(x.data())); DeviceBuffer dy = device.allocate(y.size());
                DeviceBuffer order = device.upload(rowOrder(a))) {
            device.launch(format == HalfFormat.FP16 ? "p4j_csr_spmm_f16" : "p4j_csr_spmm_bf16", ceil(a.rows(), 4),
                    ceil(n, 64), 128, a.rows(), n, ptr, idx, val, order, dx, dy);
            device.download(dy, y.data());
        }
    }

    /**
     * {@code y = op(w) x} on tensor cores for BSR weights with square 16x16 or 32x32 blocks, in
     * the given operand precision with fp32 accumulation. X and Y are zero-padded on the host so
     * every WMMA tile is whole; block rows run longest first.
     */
    public synchronized void spmmTensorCore(org.prune4j.sparse.BsrMatrix w, Op opW, Tensor x, Tensor y,
            TensorCorePrecision precision) {
        Shapes.spmm(w, opW, x, y);
        org.prune4j.sparse.BsrMatrix a = opW == Op.N ? w : w.transpose();
        int bs = a.blockRows();
        if (bs != a.blockCols() || (bs != 16 && bs != 32)) {
            throw new IllegalArgumentException("tensor-core BSR needs square 16x16 or 32x32 blocks, got " + a.blockRows()
                    + "x" + a.blockCols() + "; use spmm for other block shapes");
        }
        int n = x.cols(), nPad = ceil(n, 16) * 16, xRows = a.gridCols() * bs, yRows = a.gridRows() * bs;
        float[] xp = HostPadding.pad(x, xRows, nPad);
        int[] ptr = a.blockRowPtr();
        int[] order = blockRowOrder(a);
        device.makeCurrent();
        boolean half = precision != TensorCorePrecision.TF32;
        HalfFormat hf = precision == TensorCorePrecision.FP16 ? HalfFormat.FP16 : HalfFormat.BF16;
        try (DeviceBuffer dptr = device.upload(ptr); DeviceBuffer didx = device.upload(a.blockColIdx());
                DeviceBuffer dval = half ? device.upload(hf.encode(a.values())) : device.upload(a.values());
                DeviceBuffer dx = half ? device.upload(hf.encode(xp)) : device.upload(xp);
                DeviceBuffer dord = device.upload(order); DeviceBuffer dy = device.allocate((long) yRows * nPad)) {
            int warps = a.gridRows() * (nPad / 16);
            device.launch("p4j_bsr" + bs + "_wmma_" + precision.suffix(), ceil(warps, 4), 1, 128, a.gridRows(), nPad,
                    dptr, didx, dval, dord, dx, dy);
            float[] yp = new float[yRows * nPad];
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
    public synchronized void spmmCompactedTensorCore(org.prune4j.sparse.CompactedMatrix w, Tensor x, Tensor y,
            TensorCorePrecision precision) {
        Shapes.spmm(w, Op.N, x, y);
        int[] rowsKept = w.keptRows(), colsKept = w.keptCols();
        int n = x.cols();
        java.util.Arrays.fill(y.data(), 0f);
        if (rowsKept.length == 0 || colsKept.length == 0) {
            return;
        }
        Tensor block = w.block();
        Tensor xk = Tensor.zeros(colsKept.length, n);
        for (int j = 0; j < colsKept.length; j++) {
            System.arraycopy(x.data(), colsKept[j] * n, xk.data(), j * n, n);
        }
        org.prune4j.sparse.BsrMatrix dense = denseBlocks.computeIfAbsent(w, k -> org.prune4j.sparse.BsrMatrix.fromDense(
                block, org.prune4j.sparse.Mask.all(block.rows(), block.cols()), 16, 16));
        Tensor yk = Tensor.zeros(rowsKept.length, n);
        spmmTensorCore(dense, Op.N, xk, yk, precision);
        for (int i = 0; i < rowsKept.length; i++) {
            System.arraycopy(yk.data(), i * n, y.data(), rowsKept[i] * n, n);
        }
    }

    private final Map<org.prune4j.sparse.CompactedMatrix, org.prune4j.sparse.BsrMatrix> denseBlocks =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * {@code y = w x} on sparse tensor cores (2:4) with the weight and activations in fp16 or
     * bf16 and fp32 accumulation, on the kernel {@link TwoFourKernel#defaultFor} picks for this
     * GPU and width. The weight's device layout is built once per weight and kept; only X is
     * converted per call. The transposed product of a 2:4 weight is not 2:4 along K: use
     * {@link #spmm} for it.
     */
    public synchronized void spmmTwoFour(org.prune4j.sparse.TwoFourMatrix w, Tensor x, Tensor y, HalfFormat format) {
        spmmTwoFour(w, x, y, format, twoFour.defaultKernel(x.cols()));
    }

    /**
     * As {@link #spmmTwoFour(org.prune4j.sparse.TwoFourMatrix, Tensor, Tensor, HalfFormat)} on
     * a chosen kernel; throws UnsupportedOperationException, naming the alternative, where this
     * GPU lacks the instruction.
     */
    public synchronized void spmmTwoFour(org.prune4j.sparse.TwoFourMatrix w, Tensor x, Tensor y, HalfFormat format,
            TwoFourKernel kernel) {
        Shapes.spmm(w, Op.N, x, y);
        twoFour.multiply(kernel, w, x, y, format);
    }

    /** Why {@code kernel} cannot run on this GPU, or empty when it can. */
    public java.util.Optional<String> whyUnsupported(TwoFourKernel kernel) {
        return java.util.Optional.ofNullable(kernel.unsupportedOn(device.computeCapability()));
    }

    TwoFourSpmm twoFour() {
        return twoFour;
    }

    private CusparseLt cusparseLt;

    /** Compressed cuSPARSELt weights by (weight, padded width); the oldest is freed past eight. */
    private final Map<Object, CusparseLt.Prepared> ltPlans = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, CusparseLt.Prepared> eldest) {
            if (size() > 8) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    /** The weight compressed and planned for activations of width nPad (a multiple of 32). */
    CusparseLt.Prepared ltPlan(org.prune4j.sparse.TwoFourMatrix w, int nPad) {
        if (cusparseLt == null) {
            cusparseLt = CusparseLt.open(device);
        }
        int m = ceil(w.rows(), 32) * 32, k = ceil(w.cols(), 32) * 32;
        return ltPlans.computeIfAbsent(java.util.List.of(System.identityHashCode(w), w, nPad), key -> {
            float[] a = new float[m * k];
            Tensor dense = w.toDense();
            for (int r = 0; r < w.rows(); r++) {
                System.arraycopy(dense.data(), r * w.cols(), a, r * k, w.cols());
            }
            try (DeviceBuffer da = device.upload(HalfFormat.BF16.encode(a))) {
                return cusparseLt.new Prepared(da, m, k, nPad);
            }
        });
    }

    /** cuBLAS for the tensor-core baselines, loaded on first use when this backend's dense path is its own. */
    Cublas cublasForBaselines() {
        if (cublas != null) {
            return cublas;
        }
        if (baselineCublas == null) {
            baselineCublas = Cublas.load(device.streamHandle());
        }
        return baselineCublas;
    }

    private Cublas baselineCublas;

    /** The installed cuSPARSELt's version, or why it is not usable; needs no GPU. */
    public static String cusparseLtVersion() {
        return CusparseLt.version();
    }

    /**
     * {@code y = w x} through cuSPARSELt (bf16 in and out, fp32 compute): the vendor 2:4 baseline.
     * The weight is prune-checked, compressed and planned once per activation width and kept;
     * per call only X is converted and the product run.
     */
    public synchronized void spmmCusparseLt(org.prune4j.sparse.TwoFourMatrix w, Tensor x, Tensor y) {
        Shapes.spmm(w, Op.N, x, y);
        device.makeCurrent();
        int m = ceil(w.rows(), 32) * 32, k = ceil(w.cols(), 32) * 32, n = x.cols(), nPad = ceil(n, 32) * 32;
        CusparseLt.Prepared plan = ltPlan(w, nPad);
        float[] xp = HostPadding.pad(x, k, nPad);
        try (DeviceBuffer dx = device.upload(HalfFormat.BF16.encode(xp));
                DeviceBuffer dd = device.pool.allocate(2L * m * nPad)) {
            plan.matmul(dx, dd);
            short[] out = new short[m * nPad];
            device.download(dd, out);
            HostPadding.crop(out, nPad, y.data(), n);
        }
    }

    @Override
    public synchronized void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out) {
        Shapes.sddmm(a, b, pattern, out);
        device.makeCurrent();
        try (DeviceBuffer ptr = device.upload(pattern.rowPtr()); DeviceBuffer idx = device.upload(pattern.colIdx());
                DeviceBuffer da = device.upload(a.data()); DeviceBuffer db = device.upload(b.data());
                DeviceBuffer dout = device.allocate(out.length)) {
            device.launch("p4j_sddmm_f32", ceil(pattern.rows(), 4), 1, 128, pattern.rows(), a.cols(), ptr, idx, da, db,
                    dout);
            device.download(dout, out);
        }
    }

    @Override
    public synchronized void axpy(float alpha, Tensor x, Tensor y) {
        Shapes.same(x, y, "axpy");
        elementwise(y, (dy) -> {
            try (DeviceBuffer dx = device.upload(x.data())) {
                device.launch("p4j_axpy", grid(y.size()), 1, EW_BLOCK, (long) y.size(), alpha, dx, dy);
            }
        });
    }

    @Override
    public synchronized void scale(float alpha, Tensor x) {
        elementwise(x, dx -> device.launch("p4j_scale", grid(x.size()), 1, EW_BLOCK, (long) x.size(), alpha, dx));
    }

    @Override
    public synchronized void mul(Tensor a, Tensor b, Tensor out) {
        Shapes.same(a, b, "mul");
        Shapes.same(a, out, "mul");
        binary("p4j_mul", a, b, out);
    }

    @Override
    public synchronized void relu(Tensor x, Tensor out) {
        Shapes.same(x, out, "relu");
        device.makeCurrent();
        try (DeviceBuffer dx = device.upload(x.data()); DeviceBuffer dout = device.allocate(out.size())) {
            device.launch("p4j_relu", grid(x.size()), 1, EW_BLOCK, (long) x.size(), dx, dout);
            device.download(dout, out.data());
        }
    }

    @Override
    public synchronized void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        Shapes.same(x, dy, "reluBackward");
        Shapes.same(x, dx, "reluBackward");
        device.makeCurrent();
        try (DeviceBuffer a = device.upload(x.data()); DeviceBuffer g = device.upload(dy.data());
                DeviceBuffer out = device.allocate(dx.size())) {
            device.launch("p4j_relu_backward", grid(x.size()), 1, EW_BLOCK, (long) x.size(), a, g, out);
            device.download(out, dx.data());
        }
    }

    @Override
    public synchronized void addRowVector(Tensor m, Tensor bias) {
        Shapes.rowVector(m, bias, "addRowVector");
        elementwise(m, dm -> {
            try (DeviceBuffer db = device.upload(bias.data())) {
                device.launch("p4j_add_row_vector", grid(m.size()), 1, EW_BLOCK, m.rows(), m.cols(), dm, db);
            }
        });
    }

    @Override
    public synchronized void sumRows(Tensor m, Tensor out) {
        Shapes.rowVector(m, out, "sumRows");
        device.makeCurrent();
        try (DeviceBuffer dm = device.upload(m.data()); DeviceBuffer dout = device.allocate(out.size())) {
            device.launch("p4j_sum_rows", ceil(m.cols(), EW_BLOCK), 1, EW_BLOCK, m.rows(), m.cols(), dm, dout);
            device.download(dout, out.data());
        }
    }

    @Override
    public synchronized void close() {
        ltPlans.values().forEach(CusparseLt.Prepared::close);
        ltPlans.clear();
        if (cusparseLt != null) {
            cusparseLt.close();
        }
        if (baselineCublas != null) {
            baselineCublas.close();
        }
        if (cublas != null) {
            cublas.close();
        }
        if (cusparse != null) {
            cusparse.close();
        }
        device.close();
    }

    CudaDevice device() {
        return device;
    }

    /** Whether dense products run on cuBLAS (the vendor baseline) rather than the project's SGEMM. */
    public boolean denseIsVendor() {
        return cublas != null;
    }

    /** Whether sparse products run on cuSPARSE rather than the project's CSR kernel. */
    public boolean sparseIsVendor() {
        return cusparse != null;
    }

    /**
     * Device time of {@code c = a b} per run, by events around each launch: operands uploaded
     * once, B and C rotated through enough copies to exceed {@code rotateBytes} (twice the L2),
     * so no run finds its inputs in cache. C receives the last run's result for checking.
     */
    public synchronized float[] timeGemm(Tensor a, Tensor b, Tensor c, int warmup, int runs, long rotateBytes) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        device.makeCurrent();
        int copies = copies(4L * (b.size() + c.size()), rotateBytes);
        DeviceBuffer[] bs = new DeviceBuffer[copies], cs = new DeviceBuffer[copies];
        try (DeviceBuffer da = device.upload(a.data())) {
            for (int i = 0; i < copies; i++) {
                bs[i] = device.upload(b.data());
                cs[i] = device.allocate(c.size());
            }
            float[] ms = new float[runs];
            for (int r = -warmup; r < runs; r++) {
                DeviceBuffer db = bs[Math.floorMod(r, copies)], dc = cs[Math.floorMod(r, copies)];
                float t = device.time(() -> {
                    if (cublas != null) {
                        cublas.sgemm(false, false, m, n, k, 1f, da.ptr.address(), k, db.ptr.address(), n, 0f,
                                dc.ptr.address(), n);
                    } else {
                        device.launch("p4j_sgemm", ceil(n, 64), ceil(m, 64), 256, m, n, k, 1f, da, k, 0, db, n, 0, 0f,
                                dc, n);
                    }
                });
                if (r >= 0) {
                    ms[r] = t;
                }
            }
            device.download(cs[Math.floorMod(runs - 1, copies)], c.data());
            return ms;
        } finally {
            closeAll(bs);
            closeAll(cs);
        }
    }

    /** Device time of {@code y = w x} per run, as {@link #timeGemm}; the own kernel or cuSPARSE's CSR SpMM. */
    public synchronized float[] timeSpmm(SparseMatrix w, Tensor x, Tensor y, int warmup, int runs, long rotateBytes) {
        CsrMatrix a = csr(w);
        int n = x.cols();
        device.makeCurrent();
        int copies = copies(4L * (x.size() + y.size()), rotateBytes);
        DeviceBuffer[] xs = new DeviceBuffer[copies], ys = new DeviceBuffer[copies];
        try (DeviceBuffer ptr = device.upload(a.rowPtr()); DeviceBuffer idx = device.upload(a.colIdx());
                DeviceBuffer val = device.upload(a.values()); DeviceBuffer order = device.upload(rowOrder(a))) {
            for (int i = 0; i < copies; i++) {
                xs[i] = device.upload(x.data());
                ys[i] = device.allocate(y.size());
            }
            float[] ms = new float[runs];
            for (int r = -warmup; r < runs; r++) {
                DeviceBuffer dx = xs[Math.floorMod(r, copies)], dy = ys[Math.floorMod(r, copies)];
                float t = device.time(() -> {
                    if (cusparse != null) {
                        cusparse.spmm(a.rows(), a.cols(), a.nnz(), ptr, idx, val, dx, n, dy);
                    } else {
                        launchCsr(a.rows(), n, ptr, idx, val, order, dx, dy);
                    }
                });
                if (r >= 0) {
                    ms[r] = t;
                }
            }
            device.download(ys[Math.floorMod(runs - 1, copies)], y.data());
            return ms;
        } finally {
            closeAll(xs);
            closeAll(ys);
        }
    }

    /** Device-to-device copy bandwidth in GB/s (bytes read plus bytes written), best of 10 over 1 GiB. */
    public synchronized double copyBandwidthGBs() {
        long bytes = 1L << 30;
        device.makeCurrent();
        try (DeviceBuffer src = device.pool.allocate(bytes); DeviceBuffer dst = device.pool.allocate(bytes)) {
            float best = Float.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                best = Math.min(best, device.time(() -> Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync(dst.ptr,
                        src.ptr, bytes, device.stream()), "cuMemcpyDtoDAsync")));
            }
            return 2.0 * bytes / (best * 1e6);
        }
    }

    /** The GPU's L2 size in bytes (for rotating benchmark inputs past it). */
    public long l2Bytes() {
        int[] v = new int[1];
        jcuda.driver.CUdevice dev = new jcuda.driver.CUdevice();
        Cuda.check(jcuda.driver.JCudaDriver.cuDeviceGet(dev, device.ordinal()), "cuDeviceGet");
        Cuda.check(jcuda.driver.JCudaDriver.cuDeviceGetAttribute(v,
                jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, dev), "cuDeviceGetAttribute(L2)");
        return v[0];
    }

    static int copies(long perCopy, long rotateBytes) {
        return (int) Math.max(1, Math.min(16, (rotateBytes + perCopy - 1) / Math.max(1, perCopy)));
    }

    static void closeAll(DeviceBuffer[] bufs) {
        for (DeviceBuffer b : bufs) {
            if (b != null) {
                b.close();
            }
        }
    }

    /** Uploads t, runs body on its device copy, downloads the result into t. */
    private void elementwise(Tensor t, java.util.function.Consumer<DeviceBuffer> body) {
        device.makeCurrent();
        try (DeviceBuffer d = device.upload(t.data())) {
            body.accept(d);
            device.download(d, t.data());
        }
    }

    private void binary(String kernel, Tensor a, Tensor b, Tensor out) {
        device.makeCurrent();
        try (DeviceBuffer da = device.upload(a.data()); DeviceBuffer db = device.upload(b.data());
                DeviceBuffer dout = device.allocate(out.size())) {
            device.launch(kernel, grid(a.size()), 1, EW_BLOCK, (long) a.size(), da, db, dout);
            device.download(dout, out.data());
        }
    }

    private CsrMatrix csr(SparseMatrix w) {
        if (w instanceof CsrMatrix c) {
            return c;
        }
        return asCsr.computeIfAbsent(w, m -> CsrMatrix.fromDense(m.toDense()));
    }

    /** Block rows with the most blocks first. */
    int[] blockRowOrder(org.prune4j.sparse.BsrMatrix a) {
        return longestFirst(a.blockRowPtr(), a.gridRows());
    }

    private static int[] longestFirst(int[] ptr, int rows) {
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

    /** Rows longest first, so warps that start together finish together; computed once per matrix. */
    int[] rowOrder(CsrMatrix a) {
        return rowOrders.computeIfAbsent(a, m -> longestFirst(m.rowPtr(), m.rows()));
    }

    static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int grid(int n) {
        return Math.max(1, Math.min(ceil(n, EW_BLOCK), 8192));
    }
}
