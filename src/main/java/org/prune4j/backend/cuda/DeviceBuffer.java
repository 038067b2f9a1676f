package org.prune4j.backend.cuda;

import jcuda.Pointer;

/** A block of device memory from the pool; closing it returns it to the pool. */
final class DeviceBuffer implements AutoCloseable {
    final DevicePointer ptr;
    final long bytes;
    private final DeviceMemoryPool pool;
    private boolean closed;

    DeviceBuffer(DevicePointer ptr, long bytes, DeviceMemoryPool pool) {
        this.ptr = ptr;
        this.bytes = bytes;
        this.pool = pool;
    }

    /** The kernel-parameter form: a pointer to the device pointer. */
    Pointer param() {
        return Pointer.to(ptr);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.release(this);
        }
    }
}
