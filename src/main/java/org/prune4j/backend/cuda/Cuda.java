package org.prune4j.backend.cuda;

/**
 * The one place CUDA statuses are checked. JCuda's own exceptions are switched off so every
 * failure reads the same way: the operation, the error's name and number, for an allocation
 * that does not fit how much was asked for and how much is free, and for any call after a
 * kernel fault, that fault.
 */
final class Cuda {
    static final int OUT_OF_MEMORY = 2;

    private Cuda() {
    }

    static void check(int status, String operation) {
        if (status != 0) {
            throw CudaErrors.failure(status, operation);
        }
    }

    /** Checks an allocation; out of memory reports the request and the device's free memory. */
    static void checkAlloc(DriverCalls driver, int status, long bytes) {
        if (status == OUT_OF_MEMORY) {
            long[] free = new long[1], total = new long[1];
            driver.memGetInfo(free, total);
            throw new CudaException(String.format("cuMemAlloc(%d bytes = %.1f MiB) failed: out of device memory; %.1f MiB"
                    + " free of %.1f MiB. Use smaller batches or shapes, or --backend cpu", bytes, bytes / 1048576.0,
                    free[0] / 1048576.0, total[0] / 1048576.0), status, CudaErrors.name(status), false);
        }
        check(status, "cuMemAlloc(" + bytes + " bytes)");
    }

    /** A library status (cuBLAS, cuSPARSE, cuSPARSELt): 0 is success. */
    static void checkLibrary(int status, String library, String operation) {
        if (status != 0) {
            String name = libraryStatusName(library, status);
            throw new CudaException(operation + " failed: " + library + " " + name + " (" + status + ")", status, name,
                    false);
        }
    }

    /** The status enum's name for the libraries' documented codes, else "status N". */
    static String libraryStatusName(String library, int status) {
        String[] names = library.equals("cuBLAS")
                ? new String[] {"SUCCESS", "NOT_INITIALIZED", "?", "ALLOC_FAILED", "?", "?", "?", "INVALID_VALUE",
                    "ARCH_MISMATCH", "?", "?", "MAPPING_ERROR", "?", "EXECUTION_FAILED", "INTERNAL_ERROR",
                    "NOT_SUPPORTED", "LICENSE_ERROR"}
                : new String[] {"SUCCESS", "NOT_INITIALIZED", "ALLOC_FAILED", "INVALID_VALUE", "ARCH_MISMATCH",
                    "MAPPING_ERROR", "EXECUTION_FAILED", "INTERNAL_ERROR", "MATRIX_TYPE_NOT_SUPPORTED", "ZERO_PIVOT",
                    "NOT_SUPPORTED", "INSUFFICIENT_RESOURCES"};
        String prefix = library.equals("cuBLAS") ? "CUBLAS_STATUS_" : "CUSPARSE_STATUS_";
        return status >= 0 && status < names.length && !names[status].equals("?") ? prefix + names[status]
                : "status " + status;
    }
}
