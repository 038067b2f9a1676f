package org.prune4j.backend;

/**
 * A failure of the device a backend runs on, as opposed to a wrong argument: out of device
 * memory, a kernel that faulted, a lost device. Experiments catch it to save their work and, when
 * asked, go on with the CPU backend. Backends mark their device errors with it; nothing above
 * {@code backend} needs to know which device failed.
 */
public interface DeviceFault {
    /** The error's symbolic name, e.g. CUDA_ERROR_OUT_OF_MEMORY. */
    String errorName();

    /** Whether the device is unusable for the rest of the process. */
    boolean sticky();

    /** The first {@link DeviceFault} in {@code t}'s cause chain, or null. */
    static DeviceFault in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DeviceFault f) {
                return f;
            }
        }
        return null;
    }
}
