package org.prune4j.backend.cuda;

import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.jcusparse.JCusparse;
import jcuda.jcusparse.cusparseDnMatDescr;
import jcuda.jcusparse.cusparseHandle;
import jcuda.jcusparse.cusparseIndexBase;
import jcuda.jcusparse.cusparseIndexType;
import jcuda.jcusparse.cusparseOperation;
import jcuda.jcusparse.cusparseOrder;
import jcuda.jcusparse.cusparseSpMMAlg;
import jcuda.jcusparse.cusparseSpMatDescr;
import jcuda.runtime.cudaStream_t;

/**
 * cuSPARSE's generic SpMM on CSR and Blocked-ELL through JCusparse (which loads on CUDA 12 and
 * 13: CUDA 13 still ships cuSPARSE as libcusparse.so.12). Row-major dense operands, fp32.
 * Weights come already on the device ({@link OwnKernels.Csr}, {@link Ell}); a {@link Plan}
 * holds the descriptors and workspace of one product so that repeating it is one call.
 */
final class CusparseSpmm implements AutoCloseable {
    private final cusparseHandle handle = new cusparseHandle();
    private final CudaDevice device;
    private final int version;

    private CusparseSpmm(CudaDevice device) {
        this.device = device;
        JCusparse.setExceptionsEnabled(false);
        Cuda.checkLibrary(JCusparse.cusparseCreate(handle), "cuSPARSE", "cusparseCreate");
        Cuda.checkLibrary(JCusparse.cusparseSetStream(handle, new cudaStream_t(device.stream())), "cuSPARSE",
                "cusparseSetStream");
        int[] v = new int[1];
        Cuda.checkLibrary(JCusparse.cusparseGetVersion(handle, v), "cuSPARSE", "cusparseGetVersion");
        version = v[0];
    }

    /** Opens cuSPARSE, or says which library is missing. */
    static CusparseSpmm open(CudaDevice device) {
        for (String so : new String[] {"libcusparse.so.12"}) {
            NativeLibraries.Found f = NativeLibraries.find(so);
            if (!f.loaded()) {
                throw new CudaException("cuSPARSE unavailable: " + so + " " + f.detail(), -1);
            }
        }
        try {
            return new CusparseSpmm(device);
        } catch (UnsatisfiedLinkError e) {
            throw new CudaException("cuSPARSE unavailable: JCusparse's native library did not load (" + e.getMessage()
                    + "); on CUDA 13 it also needs libnvJitLink.so.13 on the library path", -1);
        }
    }

    String describe() {
        return "libcusparse.so.12 " + version / 1000 + "." + version / 100 % 10 + "." + version % 100;
    }

    /**
     * One product with everything cuSPARSE needs built beforehand: the sparse and the two dense
     * descriptors over fixed device buffers, and the workspace. {@link #run()} is the
     * cusparseSpMM call alone, so a timing window around it holds no descriptor creation, size
     * query or allocation.
     */
    final class Plan implements AutoCloseable {
        private final cusparseSpMatDescr a = new cusparseSpMatDescr();
        private final cusparseDnMatDescr b = new cusparseDnMatDescr();
        private final cusparseDnMatDescr c = new cusparseDnMatDescr();
        private final int alg;
        private final String what;
        private boolean aMade;
        private boolean bMade;
        private boolean cMade;
        private DeviceBuffer work;
        private boolean supported = true;

        /** Y (rows x n) = W (rows x cols, CSR, device) X (cols x n), row-major. */
        Plan(OwnKernels.Csr w, DeviceBuffer x, int n, DeviceBuffer y) {
            this.alg = cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT;
            this.what = "cusparseSpMM(CSR " + w.rows() + "x" + w.cols() + ", nnz " + w.nnz() + ", n " + n + ")";
            try {
                Cuda.checkLibrary(JCusparse.cusparseCreateCsr(a, w.rows(), w.cols(), w.nnz(), w.ptr().ptr, w.idx().ptr,
                        w.val().ptr, cusparseIndexType.CUSPARSE_INDEX_32I, cusparseIndexType.CUSPARSE_INDEX_32I,
                        cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO, cudaDataType.CUDA_R_32F), "cuSPARSE",
                        "cusparseCreateCsr");
                aMade = true;
                finish(w.cols(), w.rows(), x, n, y);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Y = W X with W in Blocked-ELL (device); {@link #supported()} is false where cuSPARSE refuses it. */
        Plan(Ell w, DeviceBuffer x, int n, DeviceBuffer y) {
            this.alg = cusparseSpMMAlg.CUSPARSE_SPMM_BLOCKED_ELL_ALG1;
            this.what = "cusparseSpMM(Blocked-ELL " + w.blockSize() + "x" + w.blockSize() + ", " + w.rows() + "x"
                    + w.cols() + ", n " + n + ")";
            try {
                Cuda.checkLibrary(JCusparse.cusparseCreateBlockedEll(a, w.rows(), w.cols(), w.blockSize(), w.ellCols(),
                        w.idx().ptr, w.val().ptr, cusparseIndexType.CUSPARSE_INDEX_32I,
                        cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO, cudaDataType.CUDA_R_32F), "cuSPARSE",
                        "cusparseCreateBlockedEll");
                aMade = true;
                finish(w.cols(), w.rows(), x, n, y);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void finish(int cols, int rows, DeviceBuffer x, int n, DeviceBuffer y) {
            Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(b, cols, n, n, x.ptr, cudaDataType.CUDA_R_32F,
                    cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(X)");
            bMade = true;
            Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(c, rows, n, n, y.ptr, cudaDataType.CUDA_R_32F,
                    cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(Y)");
            cMade = true;
            long[] size = new long[1];
            int st = JCusparse.cusparseSpMM_bufferSize(handle, OP, OP, ONE, a.asConst(), b.asConst(), ZERO, c,
                    cudaDataType.CUDA_R_32F, alg, size);
            if (st == NOT_SUPPORTED) {
                supported = false;
                return;
            }
            Cuda.checkLibrary(st, "cuSPARSE", "cusparseSpMM_bufferSize");
            work = device.pool.allocate(Math.max(1, size[0]));
        }

        /** False when cuSPARSE reported this format and type as not supported on this GPU. */
        boolean supported() {
            return supported;
        }

        /** Queues the product on the stream; returns false (queueing nothing) when cuSPARSE refuses it. */
        boolean run() {
            if (!supported) {
                return false;
            }
            int st = JCusparse.cusparseSpMM(handle, OP, OP, ONE, a.asConst(), b.asConst(), ZERO, c,
                    cudaDataType.CUDA_R_32F, alg, work.ptr);
            if (st == NOT_SUPPORTED) {
                supported = false;
                return false;
            }
            Cuda.checkLibrary(st, "cuSPARSE", what);
            return true;
        }

        @Override
        public void close() {
            BestEffort r = new BestEffort("releasing a cuSPARSE plan");
            if (aMade) {
                aMade = false;
                r.run("cusparseDestroySpMat", () -> JCusparse.cusparseDestroySpMat(a.asConst()));
            }
            if (bMade) {
                bMade = false;
                r.run("cusparseDestroyDnMat", () -> JCusparse.cusparseDestroyDnMat(b.asConst()));
            }
            if (cMade) {
                cMade = false;
                r.run("cusparseDestroyDnMat", () -> JCusparse.cusparseDestroyDnMat(c.asConst()));
            }
            if (work != null) {
                work.close();
                work = null;
            }
            r.finish();
        }
    }

    private static final int OP = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    /**
     * Y (rows x n) = W (CSR on the device) X, row-major, queued on the stream. With no stored
     * entries Y is zeroed here and cuSPARSE is not called: sparse libraries have skipped writing
     * the output for empty matrices, which would leave the pool's stale data in Y.
     */
    void spmm(OwnKernels.Csr w, DeviceBuffer x, int n, DeviceBuffer y) {
        if (w.nnz() == 0) {
            device.zero(y, 4L * w.rows() * n);
            return;
        }
        try (Plan p = new Plan(w, x, n, y)) {
            p.run();
        }
    }

    /** Whether cuSPARSE's Blocked-ELL format can hold {@code w}: square blocks tiling it exactly. */
    static boolean blockedEllFits(org.prune4j.sparse.BsrMatrix w) {
        int b = w.blockRows();
        return b == w.blockCols() && w.rows() % b == 0 && w.cols() % b == 0 && w.blockCount() > 0;
    }

    /** A Blocked-ELL weight on the device. */
    record Ell(int rows, int cols, int blockSize, int ellCols, DeviceBuffer idx, DeviceBuffer val)
            implements DeviceWeights.Resident {
        @Override
        public long bytes() {
            return idx.bytes + val.bytes;
        }

        @Override
        public void close() {
            CudaBackend.closeAll(new DeviceBuffer[] {idx, val});
        }
    }

    /** Uploads {@code w} in Blocked-ELL form (see {@link BlockedEll}). */
    Ell upload(org.prune4j.sparse.BsrMatrix w) {
        BlockedEll ell = BlockedEll.of(w);
        DeviceBuffer idx = device.upload(ell.colInd());
        try {
            return new Ell(w.rows(), w.cols(), ell.blockSize(), ell.ellCols(), idx, device.upload(ell.values()));
        } catch (RuntimeException e) {
            idx.close();
            throw e;
        }
    }

    /**
     * Y = W X with W in Blocked-ELL, queued on the stream. Returns false (computing nothing) when
     * this cuSPARSE reports the fp32 Blocked-ELL product as not supported, so the caller can say
     * so and use CSR.
     */
    boolean spmmBlockedEll(Ell w, DeviceBuffer x, int n, DeviceBuffer y) {
        try (Plan p = new Plan(w, x, n, y)) {
            return p.run();
        }
    }

    private static final int NOT_SUPPORTED = 10;

    /**
     * cuSPARSE's Blocked-ELL form of a square-block BSR matrix: every block row padded to the
     * longest one's block count, empty slots with column index -1 and zero values; values
     * row-major over rows x ellCols.
     */
    record BlockedEll(int blockSize, int ellCols, int[] colInd, float[] values) {
        static BlockedEll of(org.prune4j.sparse.BsrMatrix w) {
            int b = w.blockRows(), gr = w.gridRows();
            int[] ptr = w.blockRowPtr(), idx = w.blockColIdx();
            float[] vals = w.values();
            int width = 0;
            for (int i = 0; i < gr; i++) {
                width = Math.max(width, ptr[i + 1] - ptr[i]);
            }
            int ellCols = width * b;
            int[] ellIdx = new int[gr * width];
            float[] ellVal = new float[w.rows() * ellCols];
            java.util.Arrays.fill(ellIdx, -1);
            for (int i = 0; i < gr; i++) {
                for (int s = 0, p = ptr[i]; p < ptr[i + 1]; s++, p++) {
                    ellIdx[i * width + s] = idx[p];
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(vals, (p * b + r) * b, ellVal, (i * b + r) * ellCols + s * b, b);
                    }
                }
            }
            return new BlockedEll(b, ellCols, ellIdx, ellVal);
        }
    }

    /** Destroys the handle; a failure is thrown for the caller's best-effort close. */
    @Override
    public void close() {
        Cuda.checkLibrary(JCusparse.cusparseDestroy(handle), "cuSPARSE", "cusparseDestroy");
    }
}
