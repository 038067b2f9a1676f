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
 * cuSPARSE's generic SpMM on CSR through JCusparse (which loads on CUDA 12 and 13: CUDA 13
 * still ships cuSPARSE as libcusparse.so.12). Row-major dense operands, fp32.
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

    /** Y (rows x n) = W (rows x cols, CSR) X (cols x n), all row-major on the device. */
    void spmm(int rows, int cols, int nnz, DeviceBuffer rowPtr, DeviceBuffer colIdx, DeviceBuffer values,
            DeviceBuffer x, int n, DeviceBuffer y) {
        cusparseSpMatDescr a = new cusparseSpMatDescr();
        cusparseDnMatDescr b = new cusparseDnMatDescr(), c = new cusparseDnMatDescr();
        Cuda.checkLibrary(JCusparse.cusparseCreateCsr(a, rows, cols, nnz, rowPtr.ptr, colIdx.ptr, values.ptr,
                cusparseIndexType.CUSPARSE_INDEX_32I, cusparseIndexType.CUSPARSE_INDEX_32I,
                cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO, cudaDataType.CUDA_R_32F), "cuSPARSE", "cusparseCreateCsr");
        try {
            Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(b, cols, n, n, x.ptr, cudaDataType.CUDA_R_32F,
                    cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(X)");
            Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(c, rows, n, n, y.ptr, cudaDataType.CUDA_R_32F,
                    cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(Y)");
            Pointer alpha = Pointer.to(new float[] {1f}), beta = Pointer.to(new float[] {0f});
            long[] size = new long[1];
            int op = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
            Cuda.checkLibrary(JCusparse.cusparseSpMM_bufferSize(handle, op, op, alpha, a.asConst(), b.asConst(), beta,
                    c, cudaDataType.CUDA_R_32F, cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT, size), "cuSPARSE",
                    "cusparseSpMM_bufferSize");
            try (DeviceBuffer work = device.pool.allocate(Math.max(1, size[0]))) {
                Cuda.checkLibrary(JCusparse.cusparseSpMM(handle, op, op, alpha, a.asConst(), b.asConst(), beta, c,
                        cudaDataType.CUDA_R_32F, cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT, work.ptr), "cuSPARSE",
                        "cusparseSpMM(" + rows + "x" + cols + ", nnz " + nnz + ", n " + n + ")");
            }
        } finally {
            JCusparse.cusparseDestroySpMat(a.asConst());
            JCusparse.cusparseDestroyDnMat(b.asConst());
            JCusparse.cusparseDestroyDnMat(c.asConst());
        }
    }

    /** Whether cuSPARSE's Blocked-ELL format can hold {@code w}: square blocks tiling it exactly. */
    static boolean blockedEllFits(org.prune4j.sparse.BsrMatrix w) {
        int b = w.blockRows();
        return b == w.blockCols() && w.rows() % b == 0 && w.cols() % b == 0 && w.blockCount() > 0;
    }

    /**
     * Y = W X with W in Blocked-ELL: each block row padded to the longest one's block count with
     * column index -1. Returns false (computing nothing) when this cuSPARSE reports the fp32
     * Blocked-ELL product as not supported, so the caller can say so and use CSR.
     */
    boolean spmmBlockedEll(org.prune4j.sparse.BsrMatrix w, DeviceBuffer x, int n, DeviceBuffer y) {
        BlockedEll ell = BlockedEll.of(w);
        int b = ell.blockSize(), ellCols = ell.ellCols();
        int[] ellIdx = ell.colInd();
        float[] ellVal = ell.values();
        cusparseSpMatDescr a = new cusparseSpMatDescr();
        cusparseDnMatDescr bx = new cusparseDnMatDescr(), cy = new cusparseDnMatDescr();
        try (DeviceBuffer dIdx = device.upload(ellIdx); DeviceBuffer dVal = device.upload(ellVal)) {
            Cuda.checkLibrary(JCusparse.cusparseCreateBlockedEll(a, w.rows(), w.cols(), b, ellCols, dIdx.ptr, dVal.ptr,
                    cusparseIndexType.CUSPARSE_INDEX_32I, cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO,
                    cudaDataType.CUDA_R_32F), "cuSPARSE", "cusparseCreateBlockedEll");
            try {
                Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(bx, w.cols(), n, n, x.ptr, cudaDataType.CUDA_R_32F,
                        cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(X)");
                Cuda.checkLibrary(JCusparse.cusparseCreateDnMat(cy, w.rows(), n, n, y.ptr, cudaDataType.CUDA_R_32F,
                        cusparseOrder.CUSPARSE_ORDER_ROW), "cuSPARSE", "cusparseCreateDnMat(Y)");
                Pointer alpha = Pointer.to(new float[] {1f}), beta = Pointer.to(new float[] {0f});
                int op = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
                int alg = cusparseSpMMAlg.CUSPARSE_SPMM_BLOCKED_ELL_ALG1;
                long[] size = new long[1];
                int st = JCusparse.cusparseSpMM_bufferSize(handle, op, op, alpha, a.asConst(), bx.asConst(), beta, cy,
                        cudaDataType.CUDA_R_32F, alg, size);
                if (st == NOT_SUPPORTED) {
                    return false;
                }
                Cuda.checkLibrary(st, "cuSPARSE", "cusparseSpMM_bufferSize(Blocked-ELL)");
                try (DeviceBuffer work = device.pool.allocate(Math.max(1, size[0]))) {
                    st = JCusparse.cusparseSpMM(handle, op, op, alpha, a.asConst(), bx.asConst(), beta, cy,
                            cudaDataType.CUDA_R_32F, alg, work.ptr);
                    if (st == NOT_SUPPORTED) {
                        return false;
                    }
                    Cuda.checkLibrary(st, "cuSPARSE", "cusparseSpMM(Blocked-ELL " + b + "x" + b + ")");
                }
                device.synchronize();
                return true;
            } finally {
                JCusparse.cusparseDestroySpMat(a.asConst());
                JCusparse.cusparseDestroyDnMat(bx.asConst());
                JCusparse.cusparseDestroyDnMat(cy.asConst());
            }
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

    @Override
    public void close() {
        JCusparse.cusparseDestroy(handle);
    }
}
