package org.prune4j.backend.cuda;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Names of driver errors, which of them are sticky, and the first sticky error this process
 * saw. A sticky error (a kernel that touched a bad address, ran an illegal instruction or
 * trapped) poisons the whole CUDA context: every later driver call returns it too, whichever
 * backend makes the call. Recording the first one lets every later message name the real cause
 * instead of the call that happened to notice.
 */
final class CudaErrors {
    private static final AtomicReference<String> FIRST_STICKY = new AtomicReference<>();

    private CudaErrors() {
    }

    /** CUDA_ERROR_... for a driver status; pure Java, so it works without the driver. */
    static String name(int status) {
        String s = jcuda.driver.CUresult.stringFor(status);
        return s == null || s.startsWith("INVALID") ? "CUDA error " + status : s;
    }

    /**
     * Whether {@code status} leaves the context unusable: the launch faults listed in the driver
     * API documentation as "the context cannot be used, the process must terminate".
     */
    static boolean sticky(int status) {
        return switch (status) {
            case 700, // ILLEGAL_ADDRESS
                 702, // LAUNCH_TIMEOUT
                 710, // ASSERT
                 714, // HARDWARE_STACK_ERROR
                 715, // ILLEGAL_INSTRUCTION
                 716, // MISALIGNED_ADDRESS
                 717, // INVALID_ADDRESS_SPACE
                 718, // INVALID_PC
                 719 -> true; // LAUNCH_FAILED
            default -> false;
        };
    }

    /** The exception for a failed driver call, naming the first sticky error when there was one. */
    static CudaException failure(int status, String operation) {
        String name = name(status);
        String msg = operation + " failed: " + name + " (" + status + ")";
        boolean sticky = sticky(status);
        if (sticky) {
            String first = FIRST_STICKY.get();
            if (first == null && FIRST_STICKY.compareAndSet(null, msg)) {
                msg += "; a kernel faulted and the CUDA context is unusable for the rest of this process"
                        + " (find the bad access with compute-sanitizer)";
            } else {
                msg += "; the context was already broken by: " + FIRST_STICKY.get();
            }
        }
        return new CudaException(msg, status, name, sticky);
    }

    /** The first sticky error of this process, or null. */
    static String firstSticky() {
        return FIRST_STICKY.get();
    }

    /** For tests that inject a sticky error: forgets it so later tests start clean. */
    static void forgetForTest() {
        FIRST_STICKY.set(null);
    }
}
