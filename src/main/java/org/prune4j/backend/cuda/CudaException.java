package org.prune4j.backend.cuda;

/**
 * A failed CUDA call: the message names the operation and the CUDA error. {@link #errorName()}
 * is the error's symbolic name (CUDA_ERROR_ILLEGAL_ADDRESS, a cuBLAS status, ...), and
 * {@link #sticky()} says whether the error broke the CUDA context for the rest of the process
 * (a faulting kernel), so callers can tell "this kernel faulted" from "this call was refused".
 */
public final class CudaException extends RuntimeException implements org.prune4j.backend.DeviceFault {
    private final int code;
    private final String errorName;
    private final boolean sticky;

    public CudaException(String message, int code) {
        this(message, code, code < 0 ? "error" : "status " + code, false);
    }

    public CudaException(String message, int code, String errorName, boolean sticky) {
        super(message);
        this.code = code;
        this.errorName = errorName;
        this.sticky = sticky;
    }

    /** The CUDA (or library) status code; -1 when the failure came from no status. */
    public int code() {
        return code;
    }

    /** The error's symbolic name, e.g. CUDA_ERROR_ILLEGAL_ADDRESS. */
    @Override
    public String errorName() {
        return errorName;
    }

    /** Whether the CUDA context is unusable from now on: every later call in the process fails. */
    @Override
    public boolean sticky() {
        return sticky;
    }
}
