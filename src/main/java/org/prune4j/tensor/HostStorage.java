package org.prune4j.tensor;

import java.util.Objects;

/** A plain float array in host memory: the CPU backend computes on it directly, with no copy. */
public record HostStorage(float[] array) implements Storage {

    public HostStorage {
        Objects.requireNonNull(array, "array");
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public int length() {
        return array.length;
    }

    @Override
    public void read(int from, float[] dst, int dstOff, int len) {
        System.arraycopy(array, from, dst, dstOff, len);
    }

    @Override
    public void write(float[] src, int srcOff, int from, int len) {
        System.arraycopy(src, srcOff, array, from, len);
    }
}
