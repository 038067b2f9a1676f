package org.prune4j.backend.cuda;

import java.util.Optional;

/**
 * How a GPU kernel's failure reads in a results row or a smoke line: {@code fault} when it broke
 * the CUDA context (an illegal address or instruction, a launch failure: nothing else on this
 * GPU runs in this process afterwards), {@code unsupported} when this GPU or library refuses it,
 * {@code error} for anything else; with the error's name (CUDA_ERROR_ILLEGAL_ADDRESS, a library
 * status, an exception class) and its message.
 */
public record KernelFailure(String status, String errorName, String message) {

    public static KernelFailure of(Throwable t) {
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        if (t instanceof CudaException c) {
            return new KernelFailure(c.sticky() ? "fault" : "error", c.errorName(), msg);
        }
        if (t instanceof UnsupportedOperationException) {
            return new KernelFailure("unsupported", "unsupported", msg);
        }
        return new KernelFailure("error", t.getClass().getSimpleName(), msg);
    }

    /** "fault CUDA_ERROR_ILLEGAL_ADDRESS", "error CUBLAS_STATUS_NOT_SUPPORTED", ... */
    public String brief() {
        return status + " " + errorName;
    }

    /** The first kernel fault of this process (after which every GPU call fails), if there was one. */
    public static Optional<String> contextLost() {
        return Optional.ofNullable(CudaErrors.firstSticky());
    }
}
