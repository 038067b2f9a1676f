package org.prune4j.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * One GPU as the backend uses it: its primary context, one stream, the jar's fatbin loaded as
 * a module, kernel handles by name, a memory pool, and typed launch and copy helpers. Every
 * entry point makes the context current first, so any Java thread may call in.
 */
final class CudaDevice implements AutoCloseable {
    private final int ordinal;
    private final CUcontext context = new CUcontext();
    private final DevicePointer.Stream stream = new DevicePointer.Stream();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    final DeviceMemoryPool pool = new DeviceMemoryPool();
    private final String name;
    private final int computeCapability;
    private final int multiprocessors;

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        JCudaDriver.setExceptionsEnabled(false);
        Cuda.check(JCudaDriver.cuInit(0), "cuInit");
        CUdevice dev = new CUdevice();
        Cuda.check(JCudaDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] n = new byte[256];
        Cuda.check(JCudaDriver.cuDeviceGetName(n, n.length, dev), "cuDeviceGetName");
        this.name = new String(n, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "").trim();
        this.computeCapability = 10 * attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                + attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        Cuda.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, dev), "cuDevicePrimaryCtxRetain");
        Cuda.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        Cuda.check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        byte[] image = KernelImage.load().orElseThrow(() -> new CudaException(KernelImage.status(), -1));
        Cuda.check(JCudaDriver.cuModuleLoadData(module, image), "cuModuleLoadData(prune4j.fatbin, "
                + image.length + " bytes; needs sm_80+ or a driver that JITs compute_80 PTX)");
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        Cuda.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    static CudaDevice open(int ordinal) {
        return new CudaDevice(ordinal);
    }

    String name() {
        return name;
    }

    int ordinal() {
        return ordinal;
    }

    /** Compute capability as major * 10 + minor (90 for Hopper). */
    int computeCapability() {
        return computeCapability;
    }

    int multiprocessors() {
        return multiprocessors;
    }

    long streamHandle() {
        return stream.handle();
    }

    DevicePointer.Stream stream() {
        return stream;
    }

    void makeCurrent() {
        Cuda.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    private CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            CUfunction f = new CUfunction();
            Cuda.check(JCudaDriver.cuModuleGetFunction(f, module, k), "cuModuleGetFunction(" + k
                    + "); is the jar's fatbin older than this code?");
            return f;
        });
    }

    /**
     * Launches {@code kernel} on the stream. Arguments are Integer, Long, Float, DeviceBuffer
     * or null (a null device pointer), in the kernel's parameter order.
     */
    void launch(String kernel, int gridX, int gridY, int block, Object... args) {
        if (gridX == 0 || gridY == 0) {
            return;
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case null -> Pointer.to(new long[] {0});
                case Integer v -> Pointer.to(new int[] {v});
                case Long v -> Pointer.to(new long[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case DeviceBuffer b -> b.param();
                default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
            };
        }
        Cuda.check(JCudaDriver.cuLaunchKernel(function(kernel), gridX, gridY, 1, block, 1, 1, 0, stream,
                Pointer.to(params), null), "cuLaunchKernel(" + kernel + ", grid " + gridX + "x" + gridY + ", block "
                        + block + ")");
    }

    DeviceBuffer upload(float[] host) {
        DeviceBuffer b = pool.allocate(4L * Math.max(1, host.length));
        copyIn(b, Pointer.to(host), 4L * host.length);
        return b;
    }

    DeviceBuffer upload(int[] host) {
        DeviceBuffer b = pool.allocate(4L * Math.max(1, host.length));
        copyIn(b, Pointer.to(host), 4L * host.length);
        return b;
    }

    DeviceBuffer upload(short[] host) {
        DeviceBuffer b = pool.allocate(2L * Math.max(1, host.length));
        copyIn(b, Pointer.to(host), 2L * host.length);
        return b;
    }

    private void copyIn(DeviceBuffer b, Pointer host, long bytes) {
        if (bytes > 0) {
            Cuda.check(JCudaDriver.cuMemcpyHtoDAsync(b.ptr, host, bytes, stream), "cuMemcpyHtoDAsync(" + bytes
                    + " bytes)");
            // Pageable host arrays may be reused by the caller as soon as we return.
            synchronize();
        }
    }

    DeviceBuffer allocate(long floats) {
        return pool.allocate(4L * Math.max(1, floats));
    }

    void download(DeviceBuffer b, float[] host) {
        if (host.length > 0) {
            Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(host), b.ptr, 4L * host.length, stream),
                    "cuMemcpyDtoHAsync(" + 4L * host.length + " bytes)");
        }
        synchronize();
    }

    /** 16-bit results (bf16 or fp16) into {@code host}. */
    void download(DeviceBuffer b, short[] host) {
        if (host.length > 0) {
            Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(host), b.ptr, 2L * host.length, stream),
                    "cuMemcpyDtoHAsync(" + 2L * host.length + " bytes)");
        }
        synchronize();
    }

    void synchronize() {
        Cuda.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize (a kernel may have faulted)");
    }

    /** Milliseconds the stream spends on {@code body}, by device events. */
    float time(Runnable body) {
        CUevent start = new CUevent(), end = new CUevent();
        Cuda.check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        Cuda.check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        try {
            Cuda.check(JCudaDriver.cuEventRecord(start, stream), "cuEventRecord");
            body.run();
            Cuda.check(JCudaDriver.cuEventRecord(end, stream), "cuEventRecord");
            Cuda.check(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            float[] ms = new float[1];
            Cuda.check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            return ms[0];
        } finally {
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(end);
        }
    }

    @Override
    public void close() {
        makeCurrent();
        pool.close();
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuStreamDestroy(stream);
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, ordinal);
        JCudaDriver.cuDevicePrimaryCtxRelease(dev);
    }
}
