package org.prune4j.backend.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/**
 * One GPU as the backend uses it: its primary context, one stream, the jar's fatbin loaded as
 * a module, kernel handles by name, a memory pool, and typed launch and copy helpers. Every
 * entry point makes the context current first, so any Java thread may call in. Closing is best
 * effort (see {@link DeviceHandles}): after a kernel fault it still gives back everything.
 */
final class CudaDevice implements AutoCloseable {
    private final int ordinal;
    private final DeviceHandles handles;
    private final Map<String, CUfunction> functions = new HashMap<>();
    final DeviceMemoryPool pool;
    private final String name;
    private final int computeCapability;
    private final int multiprocessors;
    private final long totalMemory;
    private final long l2Bytes;

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        JCudaDriver.setExceptionsEnabled(false);
        this.handles = new DeviceHandles(DriverCalls.JCUDA, ordinal);
        this.pool = handles.pool;
        try {
            Cuda.check(JCudaDriver.cuInit(0), "cuInit");
            CUdevice dev = new CUdevice();
            Cuda.check(JCudaDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            byte[] n = new byte[256];
            Cuda.check(JCudaDriver.cuDeviceGetName(n, n.length, dev), "cuDeviceGetName");
            this.name = new String(n, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "").trim();
            this.computeCapability = 10 * attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                    + attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            this.multiprocessors = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            this.l2Bytes = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE);
            long[] mem = new long[1];
            Cuda.check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem");
            this.totalMemory = mem[0];
            Cuda.check(JCudaDriver.cuDevicePrimaryCtxRetain(handles.context, dev), "cuDevicePrimaryCtxRetain");
            handles.contextRetained = true;
            Cuda.check(JCudaDriver.cuCtxSetCurrent(handles.context), "cuCtxSetCurrent");
            Cuda.check(JCudaDriver.cuStreamCreate(handles.stream, 0), "cuStreamCreate");
            handles.streamCreated = true;
            byte[] image = KernelImage.load().orElseThrow(() -> new CudaException(KernelImage.status(), -1));
            Cuda.check(JCudaDriver.cuModuleLoadData(handles.module, image), "cuModuleLoadData(prune4j.fatbin, "
                    + image.length + " bytes; needs sm_80+ or a driver that JITs compute_80 PTX)");
            handles.moduleLoaded = true;
        } catch (RuntimeException e) {
            // whatever was acquired before the failure goes back, so a later open starts clean
            handles.release();
            throw e;
        }
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

    long totalMemory() {
        return totalMemory;
    }

    /** The L2 cache size in bytes (benchmarks rotate their inputs past twice this). */
    long l2Bytes() {
        return l2Bytes;
    }

    long streamHandle() {
        return handles.stream.handle();
    }

    DevicePointer.Stream stream() {
        return handles.stream;
    }

    void makeCurrent() {
        Cuda.check(JCudaDriver.cuCtxSetCurrent(handles.context), "cuCtxSetCurrent");
    }

    private CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            CUfunction f = new CUfunction();
            Cuda.check(JCudaDriver.cuModuleGetFunction(f, handles.module, k), "cuModuleGetFunction(" + k
                    + "); is the jar's fatbin older than this code?");
            return f;
        });
    }

    /**
     * A launch with its function looked up and its parameters packed once, so that enqueueing
     * it again is a single cuLaunchKernel: what a timing loop should repeat and nothing more.
     */
    final class Launch {
        private final String kernel;
        private final CUfunction function;
        private final int gridX;
        private final int gridY;
        private final int block;
        private final Pointer params;

        private Launch(String kernel, int gridX, int gridY, int block, Object[] args) {
            checkGrid(kernel, gridX, gridY);
            this.kernel = kernel;
            this.function = gridX == 0 || gridY == 0 ? null : function(kernel);
            this.gridX = gridX;
            this.gridY = gridY;
            this.block = block;
            Pointer[] p = new Pointer[args.length];
            for (int i = 0; i < args.length; i++) {
                p[i] = switch (args[i]) {
                    case null -> Pointer.to(new long[] {0});
                    case Integer v -> Pointer.to(new int[] {v});
                    case Long v -> Pointer.to(new long[] {v});
                    case Float v -> Pointer.to(new float[] {v});
                    case DeviceBuffer b -> b.param();
                    default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
                };
            }
            this.params = Pointer.to(p);
        }

        /** Queues the kernel on the device's stream. */
        void enqueue() {
            if (function == null) {
                return;
            }
            Cuda.check(JCudaDriver.cuLaunchKernel(function, gridX, gridY, 1, block, 1, 1, 0, handles.stream, params,
                    null), "cuLaunchKernel(" + kernel + ", grid " + gridX + "x" + gridY + ", block " + block + ")");
        }
    }

    /** CUDA's limit on a grid's y dimension (x allows 2^31 - 1). */
    static final int MAX_GRID_Y = 65_535;

    /**
     * Refuses a grid CUDA would reject with a bare "invalid argument": the kernels put the
     * activation columns (the batch) or output rows on y, so an oversized grid means one
     * operand is too large for a single launch, and the fix is the caller's.
     */
    static void checkGrid(String kernel, int gridX, int gridY) {
        if (gridX < 0 || gridY < 0) {
            throw new IllegalArgumentException(kernel + ": a grid of " + gridX + " x " + gridY + " blocks; a size "
                    + "overflowed, so an operand is larger than the kernels index (2^31 elements)");
        }
        if (gridY > MAX_GRID_Y) {
            throw new IllegalArgumentException(kernel + " needs a grid of " + gridX + " x " + gridY + " blocks, and CUDA "
                    + "allows at most " + MAX_GRID_Y + " in y: the batch (activation columns) or the layer is too "
                    + "large for one launch of this kernel; split the batch into smaller ones");
        }
    }

    /**
     * Packs a launch of {@code kernel}. Arguments are Integer, Long, Float, DeviceBuffer or null
     * (a null device pointer), in the kernel's parameter order.
     */
    Launch prepare(String kernel, int gridX, int gridY, int block, Object... args) {
        return new Launch(kernel, gridX, gridY, block, args);
    }

    /** Launches {@code kernel} on the stream; see {@link #prepare}. */
    void launch(String kernel, int gridX, int gridY, int block, Object... args) {
        prepare(kernel, gridX, gridY, block, args).enqueue();
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
            try {
                Cuda.check(JCudaDriver.cuMemcpyHtoDAsync(b.ptr, host, bytes, handles.stream), "cuMemcpyHtoDAsync("
                        + bytes + " bytes)");
                // Pageable host arrays may be reused by the caller as soon as we return.
                synchronize();
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
        }
    }

    DeviceBuffer allocate(long floats) {
        return pool.allocate(4L * Math.max(1, floats));
    }

    /** Sets the first {@code bytes} (a multiple of 4) of b to zero, in stream order. */
    void zero(DeviceBuffer b, long bytes) {
        if (bytes > 0) {
            Cuda.check(JCudaDriver.cuMemsetD32Async(b.ptr, 0, bytes / 4, handles.stream), "cuMemsetD32Async(" + bytes
                    + " bytes)");
        }
    }

    /**
     * Fills the first {@code count} 32-bit words of b with {@code bits}, in stream order; with
     * a NaN pattern this poisons an output so an element a kernel fails to write stays visible.
     */
    void fill32(DeviceBuffer b, int bits, long count) {
        if (count > 0) {
            Cuda.check(JCudaDriver.cuMemsetD32Async(b.ptr, bits, count, handles.stream), "cuMemsetD32Async");
        }
    }

    /** As {@link #fill32} for 16-bit words (bf16 and fp16 outputs). */
    void fill16(DeviceBuffer b, short bits, long count) {
        if (count > 0) {
            Cuda.check(JCudaDriver.cuMemsetD16Async(b.ptr, bits, count, handles.stream), "cuMemsetD16Async");
        }
    }

    void download(DeviceBuffer b, float[] host) {
        if (host.length > 0) {
            Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(host), b.ptr, 4L * host.length, handles.stream),
                    "cuMemcpyDtoHAsync(" + 4L * host.length + " bytes)");
        }
        synchronize();
    }

    /** 16-bit results (bf16 or fp16) into {@code host}. */
    void download(DeviceBuffer b, short[] host) {
        if (host.length > 0) {
            Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(host), b.ptr, 2L * host.length, handles.stream),
                    "cuMemcpyDtoHAsync(" + 2L * host.length + " bytes)");
        }
        synchronize();
    }

    /** 32-bit words into {@code host} (flags and counts that kernels or libraries write). */
    void download(DeviceBuffer b, int[] host) {
        if (host.length > 0) {
            Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(host), b.ptr, 4L * host.length, handles.stream),
                    "cuMemcpyDtoHAsync(" + 4L * host.length + " bytes)");
        }
        synchronize();
    }

    void synchronize() {
        Cuda.check(JCudaDriver.cuStreamSynchronize(handles.stream), "cuStreamSynchronize (a kernel may have faulted)");
    }

    /** Gives everything back, best effort; returns what could not be released (also logged). */
    List<String> release() {
        return handles.release();
    }

    @Override
    public void close() {
        release();
    }
}
