package org.prune4j.backend;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the copies between host memory and a backend's device memory, in each direction.
 * Training asserts with it that a step copies nothing beyond its batch; the CUDA backend
 * reports bytes per step from it. Host-memory backends never cross, so their counter stays 0.
 */
public final class TransferCounter {
    private final AtomicLong toDevice = new AtomicLong();
    private final AtomicLong toDeviceBytes = new AtomicLong();
    private final AtomicLong toHost = new AtomicLong();
    private final AtomicLong toHostBytes = new AtomicLong();

    /** What the counter read at one moment; subtract two to get the copies in between. */
    public record Snapshot(long toDevice, long toDeviceBytes, long toHost, long toHostBytes) {
        public long copies() {
            return toDevice + toHost;
        }

        public long bytes() {
            return toDeviceBytes + toHostBytes;
        }

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(toDevice - earlier.toDevice, toDeviceBytes - earlier.toDeviceBytes,
                    toHost - earlier.toHost, toHostBytes - earlier.toHostBytes);
        }

        @Override
        public String toString() {
            return String.format("%d copies to the device (%d bytes), %d to the host (%d bytes)", toDevice,
                    toDeviceBytes, toHost, toHostBytes);
        }
    }

    public void countToDevice(long bytes) {
        toDevice.incrementAndGet();
        toDeviceBytes.addAndGet(bytes);
    }

    public void countToHost(long bytes) {
        toHost.incrementAndGet();
        toHostBytes.addAndGet(bytes);
    }

    public Snapshot snapshot() {
        return new Snapshot(toDevice.get(), toDeviceBytes.get(), toHost.get(), toHostBytes.get());
    }
}
