package org.prune4j.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A caching allocator: sizes are rounded up to a power of two (at least 256 bytes) and freed
 * blocks wait in a list per size for the next request, so training steps that ask for the same
 * shapes every iteration stop calling cuMemAlloc after the first. When an allocation fails for
 * lack of memory the cache is emptied and the allocation tried once more. Emptying the cache is
 * best effort: after a kernel fault cuMemFree fails for every block, and that must neither stop
 * the other frees nor turn a close() into an exception.
 */
final class DeviceMemoryPool implements AutoCloseable {
    private final DriverCalls driver;
    private final Map<Long, ArrayDeque<DevicePointer>> free = new HashMap<>();
    private long cachedBytes;

    DeviceMemoryPool(DriverCalls driver) {
        this.driver = driver;
    }

    synchronized DeviceBuffer allocate(long bytes) {
        long size = Math.max(256, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        ArrayDeque<DevicePointer> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            cachedBytes -= size;
            return new DeviceBuffer(list.pop(), size, this);
        }
        DevicePointer p = new DevicePointer();
        int status = driver.memAlloc(p, size);
        if (status == Cuda.OUT_OF_MEMORY && cachedBytes > 0) {
            trim();
            status = driver.memAlloc(p, size);
        }
        Cuda.checkAlloc(driver, status, size);
        return new DeviceBuffer(p, size, this);
    }

    synchronized void release(DeviceBuffer b) {
        free.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b.ptr);
        cachedBytes += b.bytes;
    }

    /** Bytes waiting in the cache. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Frees every cached block, each one whatever happened to the others; returns the failures. */
    synchronized List<String> trim() {
        BestEffort release = new BestEffort("emptying the device memory cache");
        for (ArrayDeque<DevicePointer> list : free.values()) {
            for (DevicePointer p : list) {
                release.status("cuMemFree", () -> driver.memFree(p));
            }
            list.clear();
        }
        cachedBytes = 0;
        return release.finish();
    }

    @Override
    public void close() {
        trim();
    }
}
