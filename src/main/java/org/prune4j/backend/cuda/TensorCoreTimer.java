package org.prune4j.backend.cuda;

import java.util.function.Consumer;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * Device-event timings of the tensor-core paths, for the speed table: operands converted and
 * uploaded once, activations rotated through copies past twice the L2, one event pair per run,
 * and the last run's output returned (as fp32) so the caller can check it before trusting the
 * time. All in bf16 with fp32 accumulation.
 */
public final class TensorCoreTimer {

    /** Per-run milliseconds and the last output, rows x n. */
    public record Run(float[] ms, float[] output) {
    }

    private final CudaBackend backend;
    private final CudaDevice device;
    private final int warmup;
    private final int runs;

    public TensorCoreTimer(CudaBackend backend, int warmup, int runs) {
        this.backend = backend;
        this.device = backend.device();
        this.warmup = warmup;
        this.runs = runs;
    }

    /** cuBLAS bf16 dense GEMM (cublasGemmEx), the vendor baseline. */
    public Run denseBf16(Tensor w, Tensor x) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        Cublas cublas = backend.cublasForBaselines();
        try (DeviceBuffer da = device.upload(HalfFormat.BF16.encode(w.data()))) {
            return rotate(HalfFormat.BF16.encode(x.data()), 4L * m * n, m, n, n,
                    (bufs) -> cublas.gemmBf16(m, n, k, da.ptr.address(), bufs[0].ptr.address(), bufs[1].ptr.address()));
        }
    }

    /** The project's 2:4 kernel on {@code kernel} (weight uploaded once, outside the timing). */
    public Run twoFour(TwoFourMatrix w, Tensor x, TwoFourKernel kernel) {
        int n = x.cols(), nPad = kernel.padN(n);
        try (TwoFourSpmm.Prepared p = backend.twoFour().prepare(kernel, w, HalfFormat.BF16)) {
            float[] xp = HostPadding.pad(x, p.kPad(), nPad);
            Run r = rotate(HalfFormat.BF16.encode(xp), 4L * p.rowsPad() * nPad, p.rowsPad(), nPad, nPad,
                    bufs -> p.launch(bufs[0], bufs[1], nPad));
            float[] y = new float[w.rows() * n];
            HostPadding.crop(r.output(), nPad, y, n);
            return new Run(r.ms(), y);
        }
    }

    /** cuSPARSELt on the same 2:4 weight (compressed and planned once, outside the timing). */
    public Run cusparseLt(TwoFourMatrix w, Tensor x) {
        int n = x.cols(), nPad = CudaBackend.ceil(n, 32) * 32, k = CudaBackend.ceil(w.cols(), 32) * 32;
        int m = CudaBackend.ceil(w.rows(), 32) * 32;
        CusparseLt.Prepared plan = backend.ltPlan(w, nPad);
        float[] xp = HostPadding.pad(x, k, nPad);
        DeviceBuffer[] xs = new DeviceBuffer[CudaBackend.copies(2L * xp.length + 2L * m * nPad, 2 * backend.l2Bytes())];
        DeviceBuffer[] ds = new DeviceBuffer[xs.length];
        try {
            short[] enc = HalfFormat.BF16.encode(xp);
            for (int i = 0; i < xs.length; i++) {
                xs[i] = device.upload(enc);
                ds[i] = device.pool.allocate(2L * m * nPad);
            }
            float[] ms = new float[runs];
            for (int r = -warmup; r < runs; r++) {
                int c = Math.floorMod(r, xs.length);
                float t = device.time(() -> plan.matmul(xs[c], ds[c]));
                if (r >= 0) {
                    ms[r] = t;
                }
            }
            short[] out = new short[m * nPad];
            device.download(ds[Math.floorMod(runs - 1, xs.length)], out);
            float[] y = new float[w.rows() * n];
            HostPadding.crop(out, nPad, y, n);
            return new Run(ms, y);
        } finally {
            CudaBackend.closeAll(xs);
            CudaBackend.closeAll(ds);
        }
    }

    /** The project's WMMA BSR kernel (square 16 or 32 blocks), bf16. */
    public Run bsr(BsrMatrix w, Tensor x) {
        int bs = w.blockRows(), n = x.cols(), nPad = CudaBackend.ceil(n, 16) * 16;
        int xRows = w.gridCols() * bs, yRows = w.gridRows() * bs;
        int[] order = backend.blockRowOrder(w);
        try (DeviceBuffer ptr = device.upload(w.blockRowPtr()); DeviceBuffer idx = device.upload(w.blockColIdx());
                DeviceBuffer val = device.upload(HalfFormat.BF16.encode(w.values()));
                DeviceBuffer ord = device.upload(order)) {
            int warps = w.gridRows() * (nPad / 16);
            Run r = rotate(HalfFormat.BF16.encode(HostPadding.pad(x, xRows, nPad)), 4L * yRows * nPad, yRows, nPad, nPad,
                    bufs -> device.launch("p4j_bsr" + bs + "_wmma_bf16", CudaBackend.ceil(warps, 4), 1, 128,
                            w.gridRows(), nPad, ptr, idx, val, ord, bufs[0], bufs[1]));
            float[] y = new float[w.rows() * n];
            HostPadding.crop(r.output(), nPad, y, n);
            return new Run(r.ms(), y);
        }
    }

    /** Times body over rotated (x, y) buffer pairs; y is fp32 rows x ld, returned whole. */
    private Run rotate(short[] x, long yBytes, int rows, int cols, int ld, Consumer<DeviceBuffer[]> body) {
        DeviceBuffer[] xs = new DeviceBuffer[CudaBackend.copies(2L * x.length + yBytes, 2 * backend.l2Bytes())];
        DeviceBuffer[] ys = new DeviceBuffer[xs.length];
        try {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = device.upload(x);
                ys[i] = device.pool.allocate(yBytes);
            }
            float[] ms = new float[runs];
            for (int r = -warmup; r < runs; r++) {
                int c = Math.floorMod(r, xs.length);
                float t = device.time(() -> body.accept(new DeviceBuffer[] {xs[c], ys[c]}));
                if (r >= 0) {
                    ms[r] = t;
                }
            }
            float[] out = new float[rows * ld];
            device.download(ys[Math.floorMod(runs - 1, xs.length)], out);
            return new Run(ms, out);
        } finally {
            CudaBackend.closeAll(xs);
            CudaBackend.closeAll(ys);
        }
    }
}
