package org.prune4j.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * A device pointer whose raw address can be read: vendor libraries bound through FFM (cuBLAS
 * on CUDA 13, where JCublas cannot load) take addresses, and JCuda keeps them protected.
 */
final class DevicePointer extends CUdeviceptr {
    long address() {
        return getNativePointer();
    }

    /** A stream whose raw handle can be read, for the same reason. */
    static final class Stream extends CUstream {
        long handle() {
            return getNativePointer();
        }
    }
}
