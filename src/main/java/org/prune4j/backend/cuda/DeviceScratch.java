package org.prune4j.backend.cuda;

/**
 * Numbered scratch buffers of a prepared weight (transposed activations and the like), grown on
 * demand and kept for the next step, so a training step allocates nothing once warmed up.
 */
final class DeviceScratch implements AutoCloseable {
    private final CudaDevice device;
    private DeviceBuffer[] slots;

    DeviceScratch(CudaDevice device, int slots) {
        this.device = device;
        this.slots = new DeviceBuffer[slots];
    }

    /** Buffer {@code slot} of at least {@code floats} values. */
    DeviceBuffer get(int slot, long floats) {
        DeviceBuffer b = slots[slot];
        if (b == null || b.bytes < 4L * Math.max(1, floats)) {
            if (b != null) {
                b.close();
            }
            b = device.allocate(floats);
            slots[slot] = b;
        }
        return b;
    }

    @Override
    public void close() {
        CudaBackend.closeAll(slots);
        slots = new DeviceBuffer[slots.length];
    }
}
