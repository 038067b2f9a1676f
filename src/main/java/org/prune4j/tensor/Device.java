package org.prune4j.tensor;

import java.util.Objects;

/**
 * Where a tensor's values live: {@link #CPU} for host memory, {@code cuda:0} for the first GPU.
 * A property of the data, as in PyTorch: operations require their operands on the device that
 * computes them and say so when one is elsewhere, rather than copying behind the caller's back.
 */
public record Device(String kind, int index) {
    /** Host memory; every host-memory backend computes here. */
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(kind, "kind");
        if (kind.isBlank() || index < 0) {
            throw new IllegalArgumentException("a device needs a kind and an index >= 0, got '" + kind + "', " + index);
        }
    }

    public boolean isHost() {
        return kind.equals("cpu");
    }

    @Override
    public String toString() {
        return isHost() ? kind : kind + ":" + index;
    }
}
