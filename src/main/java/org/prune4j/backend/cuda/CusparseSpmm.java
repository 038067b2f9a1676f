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

    @Override
    public void close() {
        JCusparse.cusparseDestroy(handle);
    }
}
