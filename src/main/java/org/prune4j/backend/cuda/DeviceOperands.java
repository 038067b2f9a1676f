package org.prune4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.TransferCounter;
import org.prune4j.tensor.Tensor;

/**
 * The tensors of one call as device buffers: tensors already on this GPU as they are; host
 * tensors copied in, and outputs copied back when the call succeeds, each copy counted. That is
 * how the products accept host operands for one-off use while training, whose tensors are all
 * resident, copies nothing.
 */
final class DeviceOperands implements AutoCloseable {
    private final CudaDevice device;
    private final TransferCounter counter;
    private final List<DeviceBuffer> temporaries = new ArrayList<>();
    private final List<Runnable> downloads = new ArrayList<>();
    private boolean done;

    DeviceOperands(CudaDevice device, TransferCounter counter) {
        this.device = device;
        this.counter = counter;
    }

    /** The storage of {@code t} when it lives on this device; null for host tensors. */
    static CudaStorage resident(Tensor t, CudaDevice device) {
        if (t.storage() instanceof CudaStorage s) {
            if (s.device != device) {
                throw new IllegalArgumentException("a tensor on " + t.device() + " was passed to the backend of GPU "
                        + device.ordinal() + "; copy it there first");
            }
            return s;
        }
        if (!t.isHost()) {
            throw new IllegalArgumentException("a tensor on " + t.device() + " cannot be read by a CUDA backend; copy it"
                    + " to the host first");
        }
        return null;
    }

    /** An input; null stays null. */
    DeviceBuffer in(Tensor t) {
        if (t == null) {
            return null;
        }
        CudaStorage s = resident(t, device);
        if (s != null) {
            return s.buffer;
        }
        DeviceBuffer b = device.upload(t.data());
        counter.countToDevice(4L * t.size());
        temporaries.add(b);
        return b;
    }

    /** An output whose old values are not read. */
    DeviceBuffer out(Tensor t) {
        return output(t, false);
    }

    /** An output whose old values are read (accumulators, in-place updates). */
    DeviceBuffer inOut(Tensor t) {
        return output(t, true);
    }

    private DeviceBuffer output(Tensor t, boolean read) {
        if (t == null) {
            return null;
        }
        CudaStorage s = resident(t, device);
        if (s != null) {
            return s.buffer;
        }
        DeviceBuffer b = read ? device.upload(t.data()) : device.allocate(t.size());
        if (read) {
            counter.countToDevice(4L * t.size());
        }
        temporaries.add(b);
        downloads.add(() -> {
            device.download(b, t.data());
            counter.countToHost(4L * t.size());
        });
        return b;
    }

    /** The call went through: copy host outputs back. */
    void finish() {
        done = true;
        downloads.forEach(Runnable::run);
    }

    @Override
    public void close() {
        if (!done) {
            downloads.clear();
        }
        temporaries.forEach(DeviceBuffer::close);
    }
}
