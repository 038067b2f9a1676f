package org.prune4j.backend.cuda;

import java.util.List;
import jcuda.driver.CUcontext;
import jcuda.driver.CUmodule;

/**
 * What a {@link CudaDevice} holds from the driver (a reference to the primary context, a stream,
 * the loaded module, the memory pool) and how it is given back: each handle is released only if
 * it was acquired, every release runs even when an earlier one fails, and releasing twice is
 * harmless. This is the part of closing a device that a test can drive with a failing
 * {@link DriverCalls} and no GPU.
 */
final class DeviceHandles {
    final DriverCalls driver;
    final int ordinal;
    final CUcontext context = new CUcontext();
    final DevicePointer.Stream stream = new DevicePointer.Stream();
    final CUmodule module = new CUmodule();
    final DeviceMemoryPool pool;
    boolean contextRetained;
    boolean streamCreated;
    boolean moduleLoaded;

    DeviceHandles(DriverCalls driver, int ordinal) {
        this.driver = driver;
        this.ordinal = ordinal;
        this.pool = new DeviceMemoryPool(driver);
    }

    /** Releases whatever was acquired, in reverse order, best effort; returns what failed (also logged). */
    synchronized List<String> release() {
        BestEffort r = new BestEffort("closing GPU " + ordinal);
        if (contextRetained) {
            r.status("cuCtxSetCurrent", () -> driver.ctxSetCurrent(context));
        }
        r.addAll("memory pool", pool.trim());
        if (moduleLoaded) {
            moduleLoaded = false;
            r.status("cuModuleUnload", () -> driver.moduleUnload(module));
        }
        if (streamCreated) {
            streamCreated = false;
            r.status("cuStreamDestroy", () -> driver.streamDestroy(stream));
        }
        if (contextRetained) {
            contextRetained = false;
            r.status("cuDevicePrimaryCtxRelease", () -> driver.primaryCtxRelease(ordinal));
        }
        return r.finish();
    }
}
