package org.prune4j.backend.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The driver calls that allocate and release a device's resources, behind an interface so that
 * tests without a GPU can stand in a failing driver and check that releasing stays best effort
 * (a context broken by a faulting kernel fails every one of these calls). Each returns the
 * driver's status; nothing here throws.
 */
interface DriverCalls {
    int memAlloc(DevicePointer p, long bytes);

    int memFree(DevicePointer p);

    int memGetInfo(long[] free, long[] total);

    int ctxSetCurrent(CUcontext context);

    int moduleUnload(CUmodule module);

    int streamDestroy(CUstream stream);

    int primaryCtxRelease(int ordinal);

    /** The real driver through JCuda; its native library loads on the first call. */
    DriverCalls JCUDA = new DriverCalls() {
        @Override
        public int memAlloc(DevicePointer p, long bytes) {
            return JCudaDriver.cuMemAlloc(p, bytes);
        }

        @Override
        public int memFree(DevicePointer p) {
            return JCudaDriver.cuMemFree(p);
        }

        @Override
        public int memGetInfo(long[] free, long[] total) {
            return JCudaDriver.cuMemGetInfo(free, total);
        }

        @Override
        public int ctxSetCurrent(CUcontext context) {
            return JCudaDriver.cuCtxSetCurrent(context);
        }

        @Override
        public int moduleUnload(CUmodule module) {
            return JCudaDriver.cuModuleUnload(module);
        }

        @Override
        public int streamDestroy(CUstream stream) {
            return JCudaDriver.cuStreamDestroy(stream);
        }

        @Override
        public int primaryCtxRelease(int ordinal) {
            CUdevice dev = new CUdevice();
            int st = JCudaDriver.cuDeviceGet(dev, ordinal);
            return st != 0 ? st : JCudaDriver.cuDevicePrimaryCtxRelease(dev);
        }
    };
}
