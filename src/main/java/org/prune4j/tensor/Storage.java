package org.prune4j.tensor;

/**
 * The memory behind a tensor: a host array ({@link HostStorage}) or a backend's device buffer.
 * Reading and writing through a storage is the one explicit way values cross between host and
 * device; device implementations count those crossings (see the backend's transfer counter).
 */
public interface Storage {

    Device device();

    /** Capacity in floats. */
    int length();

    /** Copies {@code len} values starting at {@code from} into {@code dst[dstOff..]} on the host. */
    void read(int from, float[] dst, int dstOff, int len);

    /** Copies {@code len} host values {@code src[srcOff..]} into this storage at {@code from}. */
    void write(float[] src, int srcOff, int from, int len);

    /** Returns device memory to its backend; host storage has nothing to free. Idempotent. */
    default void release() {
    }
}
