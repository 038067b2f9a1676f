package org.prune4j.backend.cuda;

import java.lang.ref.Cleaner;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;
import org.prune4j.backend.TransferCounter;
import org.prune4j.tensor.Device;
import org.prune4j.tensor.Storage;

/**
 * A tensor's values in GPU memory: a pool buffer of one device. Reads and writes from the host
 * are explicit copies, counted by the backend's {@link TransferCounter}. Released explicitly by
 * the workspace or parameter that owns it; a buffer nobody released goes back to the pool when
 * its tensor is garbage collected, as a safety net rather than the plan.
 */
final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    final DeviceBuffer buffer;
    final CudaDevice device;
    private final int length;
    private final Device where;
    private final TransferCounter counter;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(CudaDevice device, int length, TransferCounter counter) {
        this.device = device;
        this.length = length;
        this.where = new Device("cuda", device.ordinal());
        this.counter = counter;
        this.buffer = device.allocate(length);
        DeviceBuffer b = buffer;
        this.cleanable = CLEANER.register(this, b::close);
    }

    @Override
    public Device device() {
        return where;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void read(int from, float[] dst, int dstOff, int len) {
        check(from, len, dst.length - dstOff);
        if (len == 0) {
            return;
        }
        device.makeCurrent();
        Cuda.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(dst).withByteOffset(4L * dstOff),
                buffer.ptr.withByteOffset(4L * from), 4L * len, device.stream()), "cuMemcpyDtoHAsync(" + 4L * len
                + " bytes)");
        device.synchronize();
        counter.countToHost(4L * len);
    }

    @Override
    public void write(float[] src, int srcOff, int from, int len) {
        check(from, len, src.length - srcOff);
        if (len == 0) {
            return;
        }
        device.makeCurrent();
        Cuda.check(JCudaDriver.cuMemcpyHtoDAsync(buffer.ptr.withByteOffset(4L * from),
                Pointer.to(src).withByteOffset(4L * srcOff), 4L * len, device.stream()), "cuMemcpyHtoDAsync("
                + 4L * len + " bytes)");
        // the caller may reuse its pageable array as soon as this returns
        device.synchronize();
        counter.countToDevice(4L * len);
    }

    private void check(int from, int len, int hostRoom) {
        if (from < 0 || len < 0 || from + len > length || len > hostRoom) {
            throw new IndexOutOfBoundsException("copy of " + len + " values at " + from + " of a " + length
                    + "-value device tensor (host room " + hostRoom + ")");
        }
    }

    @Override
    public void release() {
        cleanable.clean();
    }
}
