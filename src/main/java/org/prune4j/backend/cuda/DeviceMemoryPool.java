package org.prune4j.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.JCudaDriver;

/**
 * A caching allocator: sizes are rounded up to a power of two (at least 256 bytes) and freed
 * blocks wait in a list per size for the next request, so training steps that ask for the same
 * shapes every iteration stop calling cuMemAlloc after the first. When an allocation fails for
 * lack of memory the cache is emptied and the allocation tried once more.
 */
final class DeviceMemoryPool implements AutoCloseable {
    private final Map<Long, ArrayDeque<DevicePointer>> free = new HashMap<>();
    private long cachedBytes;

    synchronized DeviceBuffer allocate(long bytes) {
        long size = Math.max(256, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        ArrayDeque<DevicePointer> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            cachedBytes -= size;
            return new DeviceBuffer(list.pop(), size, this);
        }
        DevicePointer p = new DevicePointer();
        int status = JCudaDriver.cuMemAlloc(p, size);
        if (status == Cuda.OUT_OF_MEMORY && cachedBytes > 0) {
            trim();
            status = JCudaDriver.cuMemAlloc(p, size);
        }
        Cuda.checkAlloc(status, size);
        return new DeviceBuffer(p, size, this);
    }

    synchronized void release(DeviceBuffer b) {
        free.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b.ptr);
        cachedBytes += b.bytes;
    }

    /** Frees every cached block. */
    synchronized void trim() {
        for (ArrayDeque<DevicePointer> list : free.values()) {
            for (DevicePointer p : list) {
                Cuda.check(JCudaDriver.cuMemFree(p), "cuMemFree");
            }
            list.clear();
        }
        cachedBytes = 0;
    }

    @Override
    public void close() {
        trim();
    }
}
