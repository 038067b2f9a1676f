package org.prune4j.backend.cuda;

import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CsrMatrix;

/**
 * The project's CSR, BSR-WMMA and SGEMM kernels: their weights in device form (uploaded once,
 * kept in {@link DeviceWeights}) and their launches, packed once so a product or a timing loop
 * only enqueues. Grid shapes follow the launch comments in {@code cuda-kernels/}.
 */
final class OwnKernels {
    private OwnKernels() {
    }

    /** A CSR weight on the device; values in fp32, or fp16/bf16 when {@code half} is set. */
    record Csr(int rows, int cols, int nnz, HalfFormat half, DeviceBuffer ptr, DeviceBuffer idx, DeviceBuffer val,
            DeviceBuffer order) implements DeviceWeights.Resident {
        @Override
        public long bytes() {
            return ptr.bytes + idx.bytes + val.bytes + order.bytes;
        }

        @Override
        public void close() {
            CudaBackend.closeAll(new DeviceBuffer[] {ptr, idx, val, order});
        }
    }

    static Csr upload(CudaDevice d, CsrMatrix a, int[] order, HalfFormat half) {
        DeviceBuffer[] b = new DeviceBuffer[4];
        try {
            b[0] = d.upload(a.rowPtr());
            b[1] = d.upload(a.colIdx());
            b[2] = half == null ? d.upload(a.values()) : d.upload(half.encode(a.values()));
            b[3] = d.upload(order);
            return new Csr(a.rows(), a.cols(), a.nnz(), half, b[0], b[1], b[2], b[3]);
        } catch (RuntimeException e) {
            CudaBackend.closeAll(b);
            throw e;
        }
    }

    /**
     * {@code y = a x} with n columns. fp32: whole warps per row for wide Y, 8-lane groups (four
     * rows per warp) when n <= 32; 16-bit: whole warps, X in the weight's format.
     */
    static CudaDevice.Launch csr(CudaDevice d, Csr a, int n, DeviceBuffer x, DeviceBuffer y) {
        if (a.half() != null) {
            String k = a.half() == HalfFormat.FP16 ? "p4j_csr_spmm_f16" : "p4j_csr_spmm_bf16";
            return d.prepare(k, CudaBackend.ceil(a.rows(), 4), CudaBackend.ceil(n, 64), 128, a.rows(), n, a.ptr(),
                    a.idx(), a.val(), a.order(), x, y);
        }
        if (n <= 32) {
            return d.prepare("p4j_csr_spmm_f32_narrow", CudaBackend.ceil(a.rows(), 16), CudaBackend.ceil(n, 32), 128,
                    a.rows(), n, a.ptr(), a.idx(), a.val(), a.order(), x, y);
        }
        return d.prepare("p4j_csr_spmm_f32", CudaBackend.ceil(a.rows(), 4), CudaBackend.ceil(n, 128), 128, a.rows(), n,
                a.ptr(), a.idx(), a.val(), a.order(), x, y);
    }

    /** A BSR weight with square 16 or 32 blocks on the device, in one tensor-core precision. */
    record Bsr(int gridRows, int gridCols, int blockSize, TensorCorePrecision precision, DeviceBuffer ptr,
            DeviceBuffer idx, DeviceBuffer val, DeviceBuffer order) implements DeviceWeights.Resident {
        /** Rows of the padded X this weight multiplies. */
        int xRows() {
            return gridCols * blockSize;
        }

        /** Rows of the padded Y it writes. */
        int yRows() {
            return gridRows * blockSize;
        }

        @Override
        public long bytes() {
            return ptr.bytes + idx.bytes + val.bytes + order.bytes;
        }

        @Override
        public void close() {
            CudaBackend.closeAll(new DeviceBuffer[] {ptr, idx, val, order});
        }
    }

    static Bsr upload(CudaDevice d, BsrMatrix a, int[] order, TensorCorePrecision p) {
        int bs = a.blockRows();
        if (bs != a.blockCols() || (bs != 16 && bs != 32)) {
            throw new IllegalArgumentException("tensor-core BSR needs square 16x16 or 32x32 blocks, got " + a.blockRows()
                    + "x" + a.blockCols() + "; use spmm for other block shapes");
        }
        DeviceBuffer[] b = new DeviceBuffer[4];
        try {
            b[0] = d.upload(a.blockRowPtr());
            b[1] = d.upload(a.blockColIdx());
            b[2] = switch (p) {
                case TF32 -> d.upload(a.values());
                case BF16 -> d.upload(HalfFormat.BF16.encode(a.values()));
                case FP16 -> d.upload(HalfFormat.FP16.encode(a.values()));
            };
            b[3] = d.upload(order);
            return new Bsr(a.gridRows(), a.gridCols(), bs, p, b[0], b[1], b[2], b[3]);
        } catch (RuntimeException e) {
            CudaBackend.closeAll(b);
            throw e;
        }
    }

    /** {@code y = a x}, X padded to xRows x nPad in the weight's precision, Y yRows x nPad fp32. */
    static CudaDevice.Launch bsr(CudaDevice d, Bsr a, int nPad, DeviceBuffer x, DeviceBuffer y) {
        int warps = a.gridRows() * (nPad / 16);
        return d.prepare("p4j_bsr" + a.blockSize() + "_wmma_" + a.precision().suffix(), CudaBackend.ceil(warps, 4), 1,
                128, a.gridRows(), nPad, a.ptr(), a.idx(), a.val(), a.order(), x, y);
    }

    /** The project's fp32 SGEMM, row-major {@code c = alpha op(a) op(b) + beta c}. */
    static CudaDevice.Launch sgemm(CudaDevice d, boolean transA, boolean transB, int m, int n, int k, float alpha,
            DeviceBuffer a, int lda, DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc) {
        return d.prepare("p4j_sgemm", CudaBackend.ceil(n, 64), CudaBackend.ceil(m, 64), 256, m, n, k, alpha, a, lda,
                transA ? 1 : 0, b, ldb, transB ? 1 : 0, beta, c, ldc);
    }
}
