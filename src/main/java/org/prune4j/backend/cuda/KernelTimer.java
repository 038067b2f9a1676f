package org.prune4j.backend.cuda;

import java.util.Optional;
import java.util.function.BiFunction;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * Device-event timings of each named GPU kernel, ours and the vendors', for the benchmark
 * tables: each method runs the kernel its name says and nothing converted in between. The
 * weight is uploaded once (and kept by the backend); activations are uploaded once per copy,
 * rotated through copies past twice the L2 so no run reads the previous one's data from cache;
 * every call's launch, plan or descriptors are built before the timing loop, which then only
 * enqueues ({@link DeviceTimer}). Outputs are poisoned with NaN first, and the last call's output
 * is returned (as fp32, cropped to rows x n) for the caller to check before trusting the time.
 */
public final class KernelTimer implements AutoCloseable {

    /**
     * Per-call device milliseconds per sample, the host's enqueueing cost per call in
     * microseconds (reported apart from the device time), the batch of back-to-back calls per
     * event pair, whether the host ever outran the spin that hides it (then the device time is an
     * upper bound), and the last output.
     */
    public record Run(float[] ms, double hostUs, int batch, boolean hostBound, float[] output) {
    }

    private static final int NAN_BITS = Float.floatToRawIntBits(Float.NaN);
    private static final short BF16_NAN = (short) 0x7fc0;

    private final CudaBackend backend;
    private final CudaDevice device;
    private final DeviceTimer timer;
    private final int warmup;
    private final int runs;

    public KernelTimer(CudaBackend backend, int warmup, int runs) {
        this.backend = backend;
        this.device = backend.cudaDevice();
        this.warmup = warmup;
        this.runs = runs;
        this.timer = new DeviceTimer(device);
    }

    /** fp32 dense {@code w x} on cuBLAS ({@code vendor}) or the project's SGEMM. */
    public Run denseFp32(Tensor w, Tensor x, boolean vendor) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        device.makeCurrent();
        Cublas cublas = vendor ? backend.vendors().cublas() : null;
        try (DeviceBuffer da = device.upload(w.data())) {
            return rotate(x.data(), null, m, n, n, (dx, dy) -> vendor
                    ? () -> cublas.sgemm(false, false, m, n, k, 1f, da.ptr.address(), k, dx.ptr.address(), n, 0f,
                            dy.ptr.address(), n)
                    : OwnKernels.sgemm(device, false, false, m, n, k, 1f, da, k, dx, n, 0f, dy, n)::enqueue);
        }
    }

    /** Dense {@code w x} on cuBLAS with fp32 storage and tf32 tensor-core compute. */
    public Run denseTf32(Tensor w, Tensor x) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        device.makeCurrent();
        Cublas cublas = backend.vendors().cublas();
        try (DeviceBuffer da = device.upload(w.data())) {
            return rotate(x.data(), null, m, n, n, (dx, dy) -> () -> cublas.gemmTf32(m, n, k, da.ptr.address(),
                    dx.ptr.address(), dy.ptr.address()));
        }
    }

    /** Dense {@code w x} on cuBLAS, bf16 operands, fp32 output and accumulation. */
    public Run denseBf16(Tensor w, Tensor x) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        device.makeCurrent();
        Cublas cublas = backend.vendors().cublas();
        try (DeviceBuffer da = device.upload(HalfFormat.BF16.encode(w.data()))) {
            return rotate(null, HalfFormat.BF16.encode(x.data()), m, n, n, (dx, dy) -> () -> cublas.gemmBf16(m, n, k,
                    da.ptr.address(), dx.ptr.address(), dy.ptr.address()));
        }
    }

    /** The project's fp32 CSR kernel. */
    public Run csr(CsrMatrix w, Tensor x) {
        device.makeCurrent();
        OwnKernels.Csr dw = backend.residentCsr(w, null);
        int n = x.cols();
        return rotate(x.data(), null, w.rows(), n, n, (dx, dy) -> OwnKernels.csr(device, dw, n, dx, dy)::enqueue);
    }

    /** The project's CSR kernel with fp16 or bf16 weight and activations, fp32 accumulation. */
    public Run csrHalf(CsrMatrix w, Tensor x, HalfFormat format) {
        device.makeCurrent();
        OwnKernels.Csr dw = backend.residentCsr(w, format);
        int n = x.cols();
        return rotate(null, format.encode(x.data()), w.rows(), n, n,
                (dx, dy) -> OwnKernels.csr(device, dw, n, dx, dy)::enqueue);
    }

    /** cuSPARSE's generic SpMM on CSR, fp32 (descriptors and workspace built outside the timing). */
    public Run cusparseCsr(CsrMatrix w, Tensor x) {
        if (w.nnz() == 0) {
            throw new IllegalArgumentException("nothing to time: the matrix stores no entries");
        }
        device.makeCurrent();
        CusparseSpmm sp = backend.vendors().cusparse();
        OwnKernels.Csr dw = backend.residentCsr(w, null);
        int n = x.cols();
        java.util.List<CusparseSpmm.Plan> plans = new java.util.ArrayList<>();
        try {
            return rotate(x.data(), null, w.rows(), n, n, (dx, dy) -> {
                CusparseSpmm.Plan p = sp.new Plan(dw, dx, n, dy);
                plans.add(p);
                return p::run;
            });
        } finally {
            plans.forEach(CusparseSpmm.Plan::close);
        }
    }

    /** cuSPARSE's Blocked-ELL SpMM, fp32; empty when this cuSPARSE refuses it on this GPU. */
    public Optional<Run> cusparseBlockedEll(BsrMatrix w, Tensor x) {
        if (!CusparseSpmm.blockedEllFits(w)) {
            throw new IllegalArgumentException("Blocked-ELL needs square blocks that tile the " + w.rows() + "x"
                    + w.cols() + " weight exactly and at least one block");
        }
        device.makeCurrent();
        CusparseSpmm sp = backend.vendors().cusparse();
        CusparseSpmm.Ell ell = backend.blockedEll(w);
        int n = x.cols();
        java.util.List<CusparseSpmm.Plan> plans = new java.util.ArrayList<>();
        boolean[] refused = {false};
        try {
            Run r = rotate(x.data(), null, w.rows(), n, n, (dx, dy) -> {
                CusparseSpmm.Plan p = sp.new Plan(ell, dx, n, dy);
                plans.add(p);
                refused[0] |= !p.supported();
                return () -> {
                    if (!p.run()) {
                        throw new UnsupportedOperationException("cuSPARSE refused fp32 Blocked-ELL");
                    }
                };
            }, () -> !refused[0]);
            return Optional.ofNullable(r);
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        } finally {
            plans.forEach(CusparseSpmm.Plan::close);
        }
    }

    /** The project's WMMA BSR kernel (square 16 or 32 blocks) in {@code precision}. */
    public Run bsrWmma(BsrMatrix w, Tensor x, TensorCorePrecision precision) {
        device.makeCurrent();
        OwnKernels.Bsr dw = backend.residentBsr(w, precision);
        int n = x.cols(), nPad = CudaBackend.ceil(n, 16) * 16;
        float[] xp = HostPadding.pad(x, dw.xRows(), nPad);
        Run r = precision == TensorCorePrecision.TF32
                ? rotate(xp, null, dw.yRows(), nPad, nPad, (dx, dy) -> OwnKernels.bsr(device, dw, nPad, dx, dy)::enqueue)
                : rotate(null, precision.half().encode(xp), dw.yRows(), nPad, nPad,
                        (dx, dy) -> OwnKernels.bsr(device, dw, nPad, dx, dy)::enqueue);
        return cropped(r, w.rows(), n, nPad);
    }

    /** The project's 2:4 kernel {@code kernel}, bf16. */
    public Run twoFour(TwoFourMatrix w, Tensor x, TwoFourKernel kernel) {
        device.makeCurrent();
        TwoFourSpmm.Prepared p = backend.twoFour().prepare(kernel, w, HalfFormat.BF16);
        int n = x.cols(), nPad = kernel.padN(n);
        float[] xp = HostPadding.pad(x, p.kPad(), nPad);
        Run r = rotate(null, HalfFormat.BF16.encode(xp), p.rowsPad(), nPad, nPad,
                (dx, dy) -> p.launch(dx, dy, nPad)::enqueue);
        return cropped(r, w.rows(), n, nPad);
    }

    /** cuSPARSELt on a 2:4 weight, bf16 in and out (compressed and planned once, outside the timing). */
    public Run cusparseLt(TwoFourMatrix w, Tensor x) {
        device.makeCurrent();
        int n = x.cols(), nPad = CudaBackend.ceil(n, 32) * 32;
        CusparseLt.Prepared plan = backend.ltPlan(w, nPad);
        float[] xp = HostPadding.pad(x, plan.k, nPad);
        short[] enc = HalfFormat.BF16.encode(xp);
        int copies = CudaBackend.copies(2L * enc.length + 2L * plan.m * nPad, 2 * device.l2Bytes());
        DeviceBuffer[] xs = new DeviceBuffer[copies], ds = new DeviceBuffer[copies];
        try {
            for (int i = 0; i < copies; i++) {
                xs[i] = device.upload(enc);
                ds[i] = device.pool.allocate(2L * plan.m * nPad);
                device.fill16(ds[i], BF16_NAN, (long) plan.m * nPad);
            }
            DeviceTimer.Measurement t = timer.measure(i -> plan.matmul(xs[i % copies], ds[i % copies]), warmup, runs);
            short[] out = new short[plan.m * nPad];
            device.download(ds[t.lastCall() % copies], out);
            float[] y = new float[w.rows() * n];
            HostPadding.crop(out, nPad, y, n);
            return new Run(t.ms(), t.hostUs(), t.batch(), t.hostBound(), y);
        } finally {
            CudaBackend.closeAll(xs);
            CudaBackend.closeAll(ds);
        }
    }

    /**
     * {@code w x} once on cuBLAS, fp32 ({@code bf16 == false}) or with bf16 operands, fp32 out:
     * the reference a sparse kernel's output is checked against, computed without a timing loop.
     */
    public float[] cublasReference(Tensor w, Tensor x, boolean bf16) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        device.makeCurrent();
        Cublas cublas = backend.vendors().cublas();
        try (DeviceBuffer da = bf16 ? device.upload(HalfFormat.BF16.encode(w.data())) : device.upload(w.data());
                DeviceBuffer dx = bf16 ? device.upload(HalfFormat.BF16.encode(x.data())) : device.upload(x.data());
                DeviceBuffer dy = device.allocate((long) m * n)) {
            if (bf16) {
                cublas.gemmBf16(m, n, k, da.ptr.address(), dx.ptr.address(), dy.ptr.address());
            } else {
                cublas.sgemm(false, false, m, n, k, 1f, da.ptr.address(), k, dx.ptr.address(), n, 0f, dy.ptr.address(),
                        n);
            }
            float[] y = new float[m * n];
            device.download(dy, y);
            return y;
        }
    }

    /** Device-to-device copy bandwidth in GB/s (bytes read plus bytes written), best of 10 over 1 GiB. */
    public double copyBandwidthGBs() {
        long bytes = 1L << 30;
        device.makeCurrent();
        try (DeviceBuffer src = device.pool.allocate(bytes); DeviceBuffer dst = device.pool.allocate(bytes)) {
            DeviceTimer.Measurement t = timer.measure(i -> Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync(
                    dst.ptr, src.ptr, bytes, device.stream()), "cuMemcpyDtoDAsync"), 1, 10);
            float best = Float.MAX_VALUE;
            for (float ms : t.ms()) {
                best = Math.min(best, ms);
            }
            return 2.0 * bytes / (best * 1e6);
        }
    }

    /** The GPU's L2 size in bytes. */
    public long l2Bytes() {
        return device.l2Bytes();
    }

    /**
     * Times a call over rotated (x, y) buffer pairs: x is fp32 ({@code xf}) or 16-bit
     * ({@code xh}), y is fp32 {@code rows x ld}, NaN-poisoned; {@code prepare} builds one call per
     * pair before any timing. Returns y of the last call, whole.
     */
    private Run rotate(float[] xf, short[] xh, int rows, int cols, int ld,
            BiFunction<DeviceBuffer, DeviceBuffer, Runnable> prepare) {
        return rotate(xf, xh, rows, cols, ld, prepare, () -> true);
    }

    /** As above; {@code go} is asked after preparing and before timing (false: return null, time nothing). */
    private Run rotate(float[] xf, short[] xh, int rows, int cols, int ld,
            BiFunction<DeviceBuffer, DeviceBuffer, Runnable> prepare, java.util.function.BooleanSupplier go) {
        long xBytes = xf != null ? 4L * xf.length : 2L * xh.length, yBytes = 4L * rows * ld;
        int copies = CudaBackend.copies(xBytes + yBytes, 2 * device.l2Bytes());
        DeviceBuffer[] xs = new DeviceBuffer[copies], ys = new DeviceBuffer[copies];
        Runnable[] calls = new Runnable[copies];
        try {
            for (int i = 0; i < copies; i++) {
                xs[i] = xf != null ? device.upload(xf) : device.upload(xh);
                ys[i] = device.pool.allocate(yBytes);
                device.fill32(ys[i], NAN_BITS, (long) rows * ld);
                calls[i] = prepare.apply(xs[i], ys[i]);
            }
            if (!go.getAsBoolean()) {
                return null;
            }
            DeviceTimer.Measurement t = timer.measure(i -> calls[i % copies].run(), warmup, runs);
            float[] out = new float[rows * ld];
            device.download(ys[t.lastCall() % copies], out);
            return new Run(t.ms(), t.hostUs(), t.batch(), t.hostBound(), out);
        } finally {
            CudaBackend.closeAll(xs);
            CudaBackend.closeAll(ys);
        }
    }

    /** The top-left rows x n of a padded run's output. */
    private static Run cropped(Run r, int rows, int n, int ld) {
        float[] y = new float[rows * n];
        HostPadding.crop(r.output(), ld, y, n);
        return new Run(r.ms(), r.hostUs(), r.batch(), r.hostBound(), y);
    }

    @Override
    public void close() {
        timer.close();
    }
}
