package org.prune4j.backend.cuda;

/** A failed CUDA call: the message names the operation and the CUDA error. */
public final class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The CUDA (or library) status code. */
    public int code() {
        return code;
    }
}
