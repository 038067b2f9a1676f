package org.prune4j.backend.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The one place CUDA statuses are checked. JCuda's own exceptions are switched off so every
 * failure reads the same way: the operation, the error's name and number, and for an
 * allocation that does not fit, how much was asked for and how much is free.
 */
final class Cuda {
    static final int OUT_OF_MEMORY = 2;

    private Cuda() {
    }

    static void check(int status, String operation) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException(operation + " failed: " + CUresult.stringFor(status) + " (" + status + ")", status);
        }
    }

    /** Checks an allocation; out of memory reports the request and the device's free memory. */
    static void checkAlloc(int status, long bytes) {
        if (status == OUT_OF_MEMORY) {
            long[] free = new long[1], total = new long[1];
            JCudaDriver.cuMemGetInfo(free, total);
            throw new CudaException(String.format("cuMemAlloc(%d bytes = %.1f MiB) failed: out of device memory; %.1f MiB"
                    + " free of %.1f MiB. Use smaller batches or shapes, or --backend cpu", bytes, bytes / 1048576.0,
                    free[0] / 1048576.0, total[0] / 1048576.0), status);
        }
        check(status, "cuMemAlloc(" + bytes + " bytes)");
    }

    /** A library status (cuBLAS, cuSPARSE): 0 is success. */
    static void checkLibrary(int status, String library, String operation) {
        if (status != 0) {
            throw new CudaException(operation + " failed: " + library + " status " + status, status);
        }
    }
}
